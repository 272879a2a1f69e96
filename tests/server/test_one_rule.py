"""A rule is written once: the form, the desk, the wire and the server's database say the same."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from app import protocol as p
from app.domain.errors import InvalidFields
from app.domain.limits import MAX_DURATION, MAX_PARTY, MAX_PENCE, MAX_PRIORITY, MIN_DURATION
from app.domain.permissions import Role
from app.models.uow import Store
from app.services.advice import BookingAdvice
from app.services.booking_create import NewBooking
from app.services.demo import ensure_venue
from app.services.desk import Desk
from tests.conftest import FakeClock
from tests.server.harness import EVENING

LARGEST = 12  # tables 15 + 16 together, The Backroom's biggest seating


def test_a_party_too_big_is_refused_in_the_same_words_by_the_form_the_desk_and_the_server(
    server, tmp_path
):
    clock = FakeClock(EVENING - timedelta(hours=3))
    store = Store(tmp_path / "desk.sqlite3")
    ensure_venue(store, clock)
    desk = Desk(store, clock)
    sam = next(s for s in desk.auth.staff() if s.role is Role.RECEPTION)

    form = BookingAdvice(desk.queries).options(LARGEST + 1, EVENING).problem
    with pytest.raises(InvalidFields) as use_case:
        desk.create.create_booking(
            sam, NewBooking(name="Ada", phone="0113 496 0123", party_size=13, start=EVENING)
        )
    bar = server.desk()
    on_server = bar.push_one(bar.create(15, 16, party=LARGEST + 1))

    words = f"A party of 13 is more than any table or combination seats (largest {LARGEST})"
    assert form.startswith(words)
    assert use_case.value.errors["party_size"].startswith(words)
    assert on_server["outcome"] == "rejected"
    assert on_server["reason"].startswith(words)


def _bounds(schema: dict, field: str) -> tuple[int, int]:
    spec = schema["properties"][field]
    spec = next((s for s in spec.get("anyOf", [spec]) if s.get("type") == "integer"), spec)
    return spec["minimum"], spec["maximum"]


def test_the_wire_takes_the_domains_limits():
    create = p.CreateBookingArgs.model_json_schema()
    edit = p.EditDetailsArgs.model_json_schema()

    assert _bounds(create, "duration_minutes") == (MIN_DURATION, MAX_DURATION)
    assert _bounds(create, "party_size") == (1, MAX_PARTY)
    assert _bounds(create, "priority_score") == (0, MAX_PRIORITY)
    assert _bounds(edit, "priority_score") == (0, MAX_PRIORITY)


def test_the_central_databases_checks_are_the_domains_limits(server):
    with server.app.state.sessions() as session:
        checks = dict(
            session.execute(
                text(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = 'bookings'::regclass AND contype = 'c'"
                )
            ).all()
        )

    def between(name: str) -> tuple[int, int]:
        found = re.search(r">= (\d+).*<= (\d+)", checks[name])
        assert found, checks[name]
        return int(found[1]), int(found[2])

    assert between("ck_bookings_duration") == (MIN_DURATION, MAX_DURATION)
    assert between("ck_bookings_party_size") == (1, MAX_PARTY)
    assert between("ck_bookings_priority") == (0, MAX_PRIORITY)
    assert between("ck_bookings_spend") == (0, MAX_PENCE)
    assert between("ck_bookings_package") == (0, MAX_PENCE)
