"""The desk's UI on a real SQLite file, with The Backroom loaded and a fake clock."""

from __future__ import annotations

import shutil
import zlib
from datetime import time

import pytest

from app.domain.permissions import Staff
from app.models.uow import Store
from app.services.booking_create import NewBooking
from app.services.desk import Desk


@pytest.fixture
def db_path(tmp_path, venue_file):
    path = tmp_path / "desk.db"
    shutil.copyfile(venue_file, path)
    return path


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def desk(store, clock) -> Desk:
    return Desk(store, clock)


def staff_named(desk: Desk, username: str) -> Staff:
    with desk.store.read() as reader:
        found = reader.staff.by_username(username)
    assert found is not None
    return found[0]


@pytest.fixture
def manager(desk) -> Staff:
    return staff_named(desk, "alex")


@pytest.fixture
def reception(desk) -> Staff:
    return staff_named(desk, "sam")


def tonight_at(desk: Desk, hh: int, mm: int = 0):
    venue = desk.queries.venue().venue
    return venue.wall_time_on(desk.queries.tonight(), time(hh, mm))


def phone_for(name: str) -> str:
    """A Leeds number from Ofcom's drama range, the same for the same name."""
    return f"0113 496 {zlib.crc32(name.encode()) % 1000:04d}"


def book(desk: Desk, staff: Staff, name: str, party: int, hh: int, mm: int = 0, tables=()):
    """A booking made through the real use case, on the given tables if any."""
    plan = desk.queries.venue().plan
    ids = tuple(plan.table_by_number(n).id for n in tables)
    cmd = NewBooking(
        name=name,
        phone=phone_for(name),
        party_size=party,
        start=tonight_at(desk, hh, mm),
        table_ids=ids,
    )
    return desk.create.create_booking(staff, cmd).booking


def waitlist(desk: Desk, staff: Staff, name: str, party: int, hh: int, mm: int = 0):
    cmd = NewBooking(
        name=name,
        phone=phone_for(name),
        party_size=party,
        start=tonight_at(desk, hh, mm),
    )
    return desk.create.add_to_waitlist(staff, cmd).booking


@pytest.fixture
def make_window(qtbot, desk):
    from app.views.main_window import MainWindow

    def make(staff: Staff, the_desk: Desk | None = None) -> MainWindow:
        window = MainWindow(the_desk or desk, staff)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # Its start-up reads on the database worker (the money badge's) are done.
        qtbot.waitUntil(lambda: not window.ops.db.busy)
        return window

    return make
