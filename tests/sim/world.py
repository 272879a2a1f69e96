"""The simulator's world: a real server on a real PostgreSQL, desks on real SQLite files.

Made once per run (``Template``): a PostgreSQL database with The Backroom, its
staff and three registered desks, and one SQLite file per desk made by the
real migrations, ``ensure_venue`` and ``register_desk``. Each seed copies both
(CREATE DATABASE … TEMPLATE, a file copy) in milliseconds, so a seed starts from
a clean world without paying for migrations or password hashing again.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from fastapi.testclient import TestClient
from psycopg.types.json import Jsonb

from app.models.uow import Store
from app.services.demo import ensure_venue
from app.sync.register import register_desk
from server.app import create_app
from server.settings import Settings
from tests.postgres import PgServer, migrate
from tests.sim.payments import fresh, stripe_fake
from tests.stripe_fake.client import StripeFake
from tests.sync import memory_keyring
from tests.sync.world import PASSWORD, seed_server

DESKS = ("Reception", "Bar", "Manager laptop")
# Wednesday 25 November 2026, 18:30 in Leeds: the night is starting.
START = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
# The night staff book, and the times they book it for (tests/sim/actions.py).
NIGHT = datetime(2026, 11, 25, tzinfo=UTC)
TIMES = tuple(NIGHT + timedelta(hours=h) for h in (19, 20, 21))
# An area a manager added before the night, on the server's plan when a seed starts (the
# desks learn it on their first pull): managers move a table into it and take it off the
# plan as the night goes (tests/sim/actions.py ``area``).
TERRACE = str(uuid.uuid5(uuid.NAMESPACE_URL, "backroom-sim/area-1"))

# The SMS provider's signing token and the address it calls the server at: guests'
# replies to their offers (tests/sim/texts.py).
SMS_TOKEN = "sim-sms-auth-token"
PUBLIC_URL = "http://sim.backroom.invalid"


class SimClock:
    """Virtual time for the server; the scheduler moves it, nothing sleeps."""

    def __init__(self, now: datetime = START) -> None:
        self.at = now

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@dataclass(frozen=True)
class DeskTemplate:
    name: str
    path: Path
    device_id: str
    token: str


@dataclass(frozen=True)
class Template:
    pg: PgServer
    database: str
    desks: tuple[DeskTemplate, ...]
    workdir: Path

    def install_tokens(self) -> None:
        backend = memory_keyring.install()
        for d in self.desks:
            backend.set_password("backroom-desk", d.device_id, d.token)


@contextlib.contextmanager
def template(pg: PgServer) -> Iterator[Template]:
    name = f"backroom_sim_{uuid.uuid4().hex[:8]}"
    url = pg.create_database(name)
    # On tmpfs when there is one: the files stay real SQLite files with their real
    # pragmas, but a throwaway world need not pay for fsync (like the test cluster).
    shm = Path("/dev/shm")
    workdir = Path(tempfile.mkdtemp(prefix="backroom-sim-", dir=shm if shm.is_dir() else None))
    try:
        migrate(url)
        seed_server(url, START)
        with psycopg.connect(pg.conninfo(name)) as conn:
            conn.execute(
                "INSERT INTO areas (id, venue_id, name, vip, active, version, updated_at) "
                "SELECT %s, venue_id, 'Terrace', false, true, version, %s FROM venue_versions",
                (TERRACE, START),
            )
        backend = memory_keyring.install()
        desks = []
        app = create_app(Settings(database_url=url), clock=SimClock())
        with TestClient(app) as client:
            for i, desk_name in enumerate(DESKS):
                path = workdir / f"template-{i}.sqlite3"
                store = Store(path)
                ensure_venue(store, lambda: START, device_name=desk_name)
                reg = register_desk(store, client, "alex", PASSWORD)
                store.close()
                token = backend.get_password("backroom-desk", reg.device_id)
                assert token
                desks.append(DeskTemplate(desk_name, path, reg.device_id, token))
        yield Template(pg, name, tuple(desks), workdir)
    finally:
        with psycopg.connect(pg.conninfo(), autocommit=True) as conn:
            workers = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{name}_w%",)
            ).fetchall()
        for (worker,) in workers:
            pg.drop_database(worker)
        pg.drop_database(name)
        shutil.rmtree(workdir, ignore_errors=True)


class Server:
    """The real app over the seed's own database, restartable mid-run, its payments at
    ``stripe`` (tests/sim/payments.py)."""

    def __init__(self, url: str, clock: SimClock, stripe: StripeFake) -> None:
        self.url = url
        self.clock = clock
        self.stripe = stripe
        self.restarts = 0
        # The changes the server made on guests' texts (tests/sim/texts.py) and on Stripe's
        # events (tests/sim/payments.py), for the oracle.
        self.by_text: list[dict[str, Any]] = []
        self.by_stripe: list[dict[str, Any]] = []
        # Checkout Sessions guests paid, and those whose events were sent (payments.py).
        self.paid_sessions: set[str] = set()
        self.delivered: set[str] = set()
        self.answered = 0
        self._client: TestClient | None = None
        self.start()

    def start(self) -> None:
        # SMS set up as far as guests' replies need (tests/sim/texts.py): the webhook's
        # signing token and the address the provider calls. Stripe at the seed's fake, with
        # no reconciliation timer: it would run on the wall clock, not the seed's.
        settings = Settings(
            database_url=self.url,
            pool_size=2,
            sms_auth_token=SMS_TOKEN,
            public_url=PUBLIC_URL,
            stripe_api_key=self.stripe.api_key,
            stripe_webhook_secret=self.stripe.webhook_secret,
            stripe_api_base=self.stripe.url,
            payments_reconcile_seconds=0,
        )
        app = create_app(settings, clock=self.clock)
        self._client = TestClient(app)
        self._client.__enter__()

    def stop(self) -> None:
        if self._client is not None:
            self._client.__exit__(None, None, None)
            self._client = None

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self.start()

    def client(self) -> httpx.Client:
        if self._client is None:
            raise httpx.ConnectError("the server is down")
        return self._client

    @property
    def sessions(self):
        assert self._client is not None
        return self._client.app.state.sessions  # type: ignore[attr-defined]


# What a seed can write and a reset empties; the floor plan and prices a seed may edit
# are put back row by row, and rows a seed added to them deleted (FLOOR_TABLES, parents
# first); staff, desks and tokens are never changed. A seed must start from the same
# world whether it runs alone or after others: its replay depends on it.
FLOOR_TABLES = ("venues", "areas", "tables", "combinations", "deposit_policies")
SEED_TABLES = (
    "message_inbound",
    "message_outbox",
    "message_suppressions",
    "payment_events",
    "payment_watch",
    "deposit_requests",
    "deposit_ledger",
    "refusals",
    "booking_tables",
    "conflicts",
    "intent_outcomes",
    "audit_events",
    "holds",
    "bookings",
    "customer_consents",
    "customers",
)


def _sql(value: Any) -> Any:
    """A value read back as psycopg writes it (a JSONB object read as a dict)."""
    return Jsonb(value) if isinstance(value, dict) else value


class Database:
    """A worker's own copy of the template, put back to it before each seed.

    TRUNCATE and two UPDATEs take a few milliseconds, where CREATE DATABASE
    … TEMPLATE and DROP take a few hundred on this machine.
    """

    def __init__(self, tpl: Template) -> None:
        self.tpl = tpl
        self.name = f"{tpl.database}_w{uuid.uuid4().hex[:6]}"
        self.url = tpl.pg.create_database(self.name, template=tpl.database)
        with psycopg.connect(tpl.pg.conninfo(self.name)) as conn:
            self.version = conn.execute("SELECT version FROM venue_versions").fetchone()[0]
            self.floor = {
                name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in FLOOR_TABLES
            }
            self.columns = {
                name: [
                    c.name for c in conn.execute(f"SELECT * FROM {name} LIMIT 0").description or ()
                ]
                for name in FLOOR_TABLES
            }

    def reset(self) -> None:
        with psycopg.connect(self.tpl.pg.conninfo(self.name)) as conn:
            conn.execute(f"TRUNCATE {', '.join(SEED_TABLES)}")
            conn.execute(
                "UPDATE devices SET last_seq = 0, audit_seq = 0, audit_hash = %s, "
                "last_seen_at = NULL",
                ("0" * 64,),
            )
            conn.execute("UPDATE venue_versions SET version = %s", (self.version,))
            # Rows put back first: a table a seed moved into an area it added leaves it.
            for name, rows in self.floor.items():
                columns = self.columns[name]
                others = [c for c in columns if c != "id"]
                assignments = ", ".join(f"{c} = %s" for c in others)
                at = columns.index("id")
                conn.cursor().executemany(
                    f"UPDATE {name} SET {assignments} WHERE id = %s",
                    [(*(_sql(v) for i, v in enumerate(row) if i != at), row[at]) for row in rows],
                )
            for name in reversed(FLOOR_TABLES):
                kept = [row[self.columns[name].index("id")] for row in self.floor[name]]
                conn.execute(f"DELETE FROM {name} WHERE NOT (id = ANY(%s))", (kept,))

    def drop(self) -> None:
        self.tpl.pg.drop_database(self.name)


@contextlib.contextmanager
def seed_world(tpl: Template, db: Database, seed: int) -> Iterator[tuple[Server, Path]]:
    """The worker's database back at the template, and a directory for the desks' files."""
    db.reset()
    workdir = Path(tempfile.mkdtemp(prefix=f"seed-{seed}-", dir=tpl.workdir))
    stripe = stripe_fake()
    fresh(stripe, PUBLIC_URL, int(START.timestamp()))
    server = Server(db.url, SimClock(), stripe)
    try:
        yield server, workdir
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
