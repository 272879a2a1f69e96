"""A real server on PostgreSQL and real desks on SQLite files, wired for sync tests.

The server holds The Backroom loaded from resources/backroom.json and the demo
staff (sam, alex, jo) with passwords; each desk is a fresh demo file made by the
real migrations and ``ensure_venue``, registered with alex's (the manager's)
sign-in, so its first pull re-keys its staff to the server's ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from app.domain.permissions import Role, Staff
from app.models.uow import Store
from app.services.demo import DEMO_STAFF, ensure_venue
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.sync.client import RetryPolicy, ServerApi
from app.sync.credentials import DeviceCredentials
from app.sync.engine import SyncEngine
from app.sync.register import register_desk
from app.sync.status import SyncMonitor
from server.auth import service as auth
from server.db import make_engine, make_sessionmaker
from server.venues.service import load_plan_file
from tests.server.harness import PLAN, TABLE, VENUE_ID

PASSWORD = "correct horse battery"
# A Wednesday evening at The Backroom (open 17:00–01:00).
EVENING = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
# Where the desks' and the server's clocks start: that Wednesday afternoon.
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
NO_WAIT = RetryPolicy(attempts=2, wait=0, sleep=lambda _s: None)

__all__ = [
    "EVENING",
    "NOW",
    "NO_WAIT",
    "PASSWORD",
    "TABLE",
    "VENUE_ID",
    "SyncDesk",
    "seed_server",
    "server_sql",
]


def seed_server(database_url: str, now: datetime = NOW) -> None:
    """The venue and the demo staff, with the demo usernames and a password each."""
    engine = make_engine(database_url, 1)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        load_plan_file(session, PLAN)
    from app import protocol as p

    for username, name, role, _pin in DEMO_STAFF:
        with sessions() as session:
            new = p.NewStaff(username=username, name=name, role=role, password=PASSWORD)
            auth.create_staff(session, now, VENUE_ID, new)
    engine.dispose()


class DeskClock:
    """The desk's wall clock: a fixed start the test moves, plus a skew."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class SyncDesk:
    """One desk: its file, its use cases, and its sync engine on an injected client.

    The engine runs when a test calls it; the desk's services only restate its status.
    """

    path: Path
    store: Store
    desk: Desk
    engine: SyncEngine
    clock: DeskClock

    @classmethod
    def open(
        cls,
        path: Path,
        http: httpx.Client,
        *,
        name: str = "Reception",
        register: bool = True,
        clock: DeskClock | None = None,
        **engine: Any,
    ) -> SyncDesk:
        clock = clock or DeskClock(NOW)
        store = Store(path)
        ensure_venue(store, clock, device_name=name)
        if register:
            register_desk(store, http, "alex", PASSWORD)
        return cls.attach(path, store, http, clock, **engine)

    @classmethod
    def attach(
        cls, path: Path, store: Store, http: httpx.Client, clock: DeskClock, **engine: Any
    ) -> SyncDesk:
        with store.read() as reader:
            from sqlalchemy import select

            from app.models.tables import DeviceRow

            device_id = reader.session.scalars(select(DeviceRow.id)).one()
        api = ServerApi(
            http, DeviceCredentials(device_id).token, retry=engine.pop("retry", NO_WAIT)
        )
        sync = SyncEngine(store, api, SyncMonitor(), wall_clock=clock, **engine)
        return cls(path, store, Desk(store, clock, DeskSync.of_engine(sync)), sync, clock)

    def staff(self, role: Role) -> Staff:
        return next(s for s in self.desk.auth.staff() if s.role is role)

    def bookings(self) -> dict[str, Any]:
        from app.sync.mirror import read_bookings

        with self.store.read() as reader:
            return read_bookings(reader.session)

    def pending(self) -> int:
        return self.engine.counts().pending

    def close(self) -> None:
        self.store.close()


Factory = Callable[..., SyncDesk]


def server_sql(database_url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the server's database directly, as a test's independent witness."""
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as conn:
        return conn.execute(query, params).fetchall()


def manager_token(http: httpx.Client) -> str:
    """alex's staff token, to register many desks without signing in for each."""
    answer = http.post(
        "/v1/auth/login",
        json={"venue_id": str(VENUE_ID), "username": "alex", "password": PASSWORD},
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def register_with_token(store: Store, http: httpx.Client, token: str, name: str) -> None:
    """Register a copied desk file under a device id of its own (what ``backroom connect``
    does after the manager's sign-in)."""
    from sqlalchemy import update

    from app.models.tables import DeviceRow
    from app.sync.credentials import DeviceCredentials

    device_id = str(uuid.uuid4())
    answer = http.post(
        "/v1/devices",
        json={"name": name, "device_id": device_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    DeviceCredentials(device_id).save(answer.json()["token"])
    with store.unit_of_work() as uow:
        uow.session.execute(
            update(DeviceRow).values(id=device_id, name=name, server_url=str(http.base_url))
        )
        uow.commit()
