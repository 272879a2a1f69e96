"""A server set up exactly as the README says, and what desks and server hold, for the
tests that connect a desk holding a night (the command line's and the window's)."""

from __future__ import annotations

import sqlite3
import uuid

import pytest
from sqlalchemy import create_engine, text

from app import protocol as p
from app.domain.permissions import Role
from server.auth import service as auth
from server.db import make_engine, make_sessionmaker
from server.settings import Settings
from server.venues.service import load_plan_file
from tests.postgres import PgServer
from tests.server.harness import PLAN, VENUE_ID, FakeClock
from tests.server.uvicorn_server import serving
from tests.sync.world import NOW

OWNER_PASSWORD = "the owner's long password"


@pytest.fixture
def readme_clock() -> FakeClock:
    """The README server's clock: the tests' fixed instant, which a test may move to its
    desk's own (a server and its desks keep the same time)."""
    return FakeClock(NOW)


@pytest.fixture
def readme_server(pg_server: PgServer, pg_template: str, readme_clock: FakeClock):
    """`backroom-server create-venue resources/backroom.json` and `create-admin owner`."""
    name = f"backroom_readme_{uuid.uuid4().hex[:10]}"
    url = pg_server.create_database(name, template=pg_template)
    engine = make_engine(url, 1)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        load_plan_file(session, PLAN)
    with sessions() as session:
        owner = p.NewStaff(
            username="owner", name="The Owner", role=Role.ADMIN, password=OWNER_PASSWORD
        )
        auth.create_staff(session, NOW, VENUE_ID, owner)
        manager = p.NewStaff(
            username="morgan", name="Morgan Lee", role=Role.MANAGER, password=OWNER_PASSWORD
        )
        auth.create_staff(session, NOW, VENUE_ID, manager)
    engine.dispose()
    # The server's clock starts at a fixed instant, as every test's does.
    with serving(Settings(database_url=url), readme_clock) as base:
        yield base, url
    pg_server.drop_database(name)


def desk_bookings(db) -> dict[str, tuple[str, list[str]]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, status FROM booking").fetchall()
        seats = conn.execute("SELECT booking_id, table_id FROM booking_table").fetchall()
    tables: dict[str, list[str]] = {}
    for booking_id, table_id in seats:
        tables.setdefault(booking_id, []).append(table_id)
    return {i: (s, sorted(tables.get(i, []))) for i, s in rows}


def server_bookings(url) -> dict[str, tuple[str, list[str]]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, status, table_ids FROM bookings")).all()
        devices = conn.execute(text("SELECT count(*) FROM devices")).scalar_one()
    engine.dispose()
    found = {str(i): (s, sorted(str(t) for t in tables)) for i, s, tables in rows}
    found["_devices"] = devices  # type: ignore[assignment]
    return found
