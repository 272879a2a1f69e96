"""A real server on a fresh database, and desks that talk to it over HTTP.

The desks build intents with the shared protocol models and push them as JSON,
exactly as the desk's sync client will; the server runs in-process behind
Starlette's TestClient (an httpx.Client) with its real lifespan.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app import protocol as p
from app.domain.audit import GENESIS, seal
from app.domain.permissions import Role
from app.domain.references import new_reference
from server.app import create_app
from server.auth import service as auth
from server.db import make_engine, make_sessionmaker
from server.settings import Settings
from server.venues.service import load_plan_file

ROOT = Path(__file__).resolve().parents[2]
PLAN = json.loads((ROOT / "resources" / "backroom.json").read_text())
VENUE_ID = uuid.UUID(PLAN["venue"]["id"])
TABLE = {t["number"]: uuid.UUID(t["id"]) for t in PLAN["tables"]}
PASSWORD = "correct horse battery"
# A Tuesday evening: the bar is open 17:00–01:00.
EVENING = datetime(2027, 3, 2, 19, 0, tzinfo=UTC)
# The server's time in these tests: that Tuesday afternoon, whatever the real date.
NOW = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)


class FakeClock:
    """The server's clock, fixed at ``start`` until a test moves it on."""

    def __init__(self, start: datetime = NOW) -> None:
        self.at = start

    def now(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


def other_venue_plan() -> dict[str, Any]:
    """The same plan under new ids: a second venue on the same server."""
    text = json.dumps(PLAN)
    for thing in [PLAN["venue"], *PLAN["areas"], *PLAN["tables"], *PLAN["combinations"]]:
        text = text.replace(thing["id"], str(uuid.uuid4()))
    data = json.loads(text)
    data["venue"]["name"] = "The Other Place"
    return data


@dataclass
class Server:
    client: TestClient
    app: Any
    venue_id: uuid.UUID
    staff: dict[Role, p.StaffInfo]
    tokens: dict[Role, str]

    def headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def add_venue(self, plan: dict[str, Any]) -> uuid.UUID:
        with self.app.state.sessions() as session, session.begin():
            return load_plan_file(session, plan)

    def add_staff(
        self, venue_id: uuid.UUID, role: Role, username: str | None = None, login: bool = True
    ) -> tuple[p.StaffInfo, str]:
        username = username or f"{role.value}-{uuid.uuid4().hex[:6]}"
        with self.app.state.sessions() as session:
            info = auth.create_staff(
                session,
                self.app.state.clock.now(),
                venue_id,
                p.NewStaff(username=username, name=username.title(), role=role, password=PASSWORD),
            )
        if not login:
            return info, ""
        answer = self.client.post(
            "/v1/auth/login",
            json={"venue_id": str(venue_id), "username": username, "password": PASSWORD},
        )
        assert answer.status_code == 200, answer.text
        return info, answer.json()["token"]

    def desk(
        self, name: str = "Reception PC", role: Role = Role.RECEPTION, token: str | None = None
    ) -> Desk:
        # A desk acting for an admin is registered by an admin, who lets it (its ceiling).
        registrar = Role.ADMIN if role is Role.ADMIN else Role.MANAGER
        body: dict[str, Any] = {"name": name}
        if role is Role.ADMIN:
            body["role_ceiling"] = "admin"
        answer = self.client.post(
            "/v1/devices",
            json=body,
            headers=self.headers(token or self.tokens[registrar]),
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        return Desk(self, uuid.UUID(body["device_id"]), body["token"], self.staff[role])


@dataclass(frozen=True)
class Seed:
    """The demo venue with one signed-in staff member per role, made once per session."""

    staff: dict[Role, p.StaffInfo]
    tokens: dict[Role, str]


def seed_database(database_url: str, now: datetime = NOW) -> Seed:
    """Staff made and signed in at ``now``: their sign-ins last a shift from then."""
    engine = make_engine(database_url, 1)
    sessions = make_sessionmaker(engine)
    settings = Settings(database_url=database_url)
    staff, tokens = {}, {}
    with sessions() as session, session.begin():
        load_plan_file(session, PLAN)
    for role in Role:
        with sessions() as session:
            new = p.NewStaff(
                username=role.value,
                name=f"{role.value.title()} Person",
                role=role,
                password=PASSWORD,
            )
            staff[role] = auth.create_staff(session, now, VENUE_ID, new)
            login = p.LoginRequest(venue_id=VENUE_ID, username=role.value, password=PASSWORD)
            tokens[role] = auth.login(session, settings, now, login).token
    engine.dispose()
    return Seed(staff, tokens)


@contextlib.contextmanager
def start_server(
    database_url: str, clock: FakeClock, seed: Seed, **settings: Any
) -> Iterator[Server]:
    app = create_app(Settings(database_url=database_url, **settings), clock=clock)
    with TestClient(app) as client:
        yield Server(client, app, VENUE_ID, dict(seed.staff), dict(seed.tokens))


@dataclass
class Desk:
    """A registered desk: numbers its intents and keeps its audit chain."""

    server: Server
    device_id: uuid.UUID
    token: str
    staff: p.StaffInfo
    seq: int = 0
    audit_seq: int = 0
    audit_hash: str = GENESIS
    versions: dict[uuid.UUID, int] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def intent(
        self,
        name: p.IntentName,
        entity_id: uuid.UUID,
        args: dict[str, Any],
        *,
        base_version: int | None = None,
        previous: dict[str, Any] | None = None,
        staff: p.StaffInfo | None = None,
    ) -> dict[str, Any]:
        staff = staff or self.staff
        self.seq += 1
        # The desk's own clock agrees with the server's here.
        now = self.server.app.state.clock.now()
        event = seal(
            id=str(uuid.uuid4()),
            device_id=str(self.device_id),
            seq=self.audit_seq + 1,
            at=now,
            staff_id=str(staff.id),
            staff_name=staff.name,
            action=name.value,
            entity="booking",
            entity_id=str(entity_id),
            before=previous or None,
            after=json.loads(json.dumps(args, default=str)),
            prev_hash=self.audit_hash,
        )
        self.audit_seq, self.audit_hash = event.seq, event.hash
        body = {
            "name": name.value,
            "mutation_id": str(uuid.uuid4()),
            "device_id": str(self.device_id),
            "device_seq": self.seq,
            "entity_id": str(entity_id),
            "base_version": self.versions.get(entity_id, 0)
            if base_version is None
            else base_version,
            "previous": previous or {},
            "staff_id": str(staff.id),
            "device_time": now.isoformat(),
            "protocol_version": p.PROTOCOL_VERSION,
            "schema_version": p.SCHEMA_VERSION,
            "args": args,
            "audit": [
                {
                    k: v.isoformat() if isinstance(v, datetime) else v
                    for k, v in _fields(event).items()
                }
            ],
        }
        # The shared model must accept what the desk sends.
        p.PushRequest.model_validate({"device_id": str(self.device_id), "mutations": [body]})
        return body

    def create(
        self,
        *tables: int,
        party: int = 2,
        start: datetime = EVENING,
        minutes: int = 120,
        status: str = "confirmed",
        booking_id: uuid.UUID | None = None,
        staff: p.StaffInfo | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        booking_id = booking_id or uuid.uuid4()
        args = {
            "reference": new_reference(),
            "customer": {"id": str(uuid.uuid4()), "name": "Ada Lovelace", "phone": "+447700900123"},
            "party_size": party,
            "start": start.isoformat(),
            "duration_minutes": minutes,
            "table_ids": [str(TABLE[n]) for n in tables],
            "status": status,
            **extra,
        }
        return self.intent(p.IntentName.CREATE_BOOKING, booking_id, args, staff=staff)

    def push(self, *mutations: dict[str, Any], expect: int = 200) -> dict[str, Any]:
        answer = self.server.client.post(
            "/v1/sync/push",
            json={"device_id": str(self.device_id), "mutations": list(mutations)},
            headers=self.headers,
        )
        assert answer.status_code == expect, answer.text
        body = answer.json()
        for outcome, m in zip(body.get("outcomes", []), mutations, strict=False):
            # The version at which the intent changed its row; a refusal changed nothing.
            if outcome["version"] is not None and outcome["outcome"] in ("applied", "merged"):
                self.versions[uuid.UUID(m["entity_id"])] = outcome["version"]
        return body

    def push_one(self, mutation: dict[str, Any]) -> dict[str, Any]:
        body = self.push(mutation)
        assert len(body["outcomes"]) == 1, body
        return body["outcomes"][0]

    def pull(self, after: int = 0, limit: int = 500) -> dict[str, Any]:
        answer = self.server.client.get(
            "/v1/sync/changes", params={"after": after, "limit": limit}, headers=self.headers
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def pull_all(self, after: int = 0, limit: int = 500) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            page = self.pull(after, limit)
            changes += page["changes"]
            after = page["cursor"]
            if not page["has_more"]:
                return changes, after

    def bookings(self) -> dict[str, dict[str, Any]]:
        changes, _ = self.pull_all()
        return {c["id"]: c["data"] for c in changes if c["entity"] == "booking"}


def _fields(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in event.__slots__}
