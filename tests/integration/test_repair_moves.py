"""A party that fits only if an unseated booking moves: proposed, then applied as one intent."""

import json
import sqlite3
from datetime import date, time

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import DomainError, PermissionDenied
from app.services.booking_create import NewBooking

WEDNESDAY = date(2026, 11, 25)


def book(desk, staff, size, phone, **kw):
    start = desk.queries.venue().venue.wall_time_on(WEDNESDAY, time(20, 0))
    return desk.create.create_booking(
        staff,
        NewBooking(
            name=f"Guest {phone[-3:]}",
            phone=f"0113 496 0{phone}",
            party_size=size,
            start=start,
            duration_minutes=90,
            **kw,
        ),
    )


@pytest.fixture
def couple_on_a_four_top(desk, reception):
    """A couple on table 4 (the 2-tops were full when they booked), then a 2-top freed."""
    plan = desk.queries.venue().plan
    couples = [book(desk, reception, 2, f"{100 + i}") for i in range(4)]
    couple = book(desk, reception, 2, "200").booking
    assert plan.table(couple.table_ids[0]).number == 4
    desk.lifecycle.cancel(reception, couples[0].booking.id)
    for i in range(5):
        book(desk, reception, 4, f"{300 + i}")
    for i in range(5):
        book(desk, reception, 5, f"{400 + i}")
    return couple


def test_a_party_that_fits_only_by_moving_a_couple_is_told_the_move(
    desk, reception, couple_on_a_four_top
):
    result = book(desk, reception, 4, "500")

    assert result.booking.status is BookingStatus.WAITLISTED
    assert "accept moving others" in result.message
    assert "Move Guest 200 (party of 2) from table 4 to table 1" in result.message


def test_accepting_the_move_seats_the_party_and_moves_the_couple_as_one_intent(
    desk, reception, couple_on_a_four_top, db_path
):
    plan = desk.queries.venue().plan

    result = book(desk, reception, 4, "500", allow_moves=True)

    assert result.booking.status is BookingStatus.CONFIRMED
    assert plan.numbers(result.booking.table_ids) == "4"
    assert "To make room: move Guest 200 (party of 2) from table 4 to table 1." in result.message
    moved = next(
        v.booking
        for v in desk.queries.bookings_on(WEDNESDAY)
        if v.booking.id == couple_on_a_four_top.id
    )
    assert plan.numbers(moved.table_ids) == "1"
    with sqlite3.connect(db_path) as conn:
        last_two = conn.execute(
            "SELECT name, json_extract(body, '$.args') FROM outbox ORDER BY device_seq DESC LIMIT 2"
        ).fetchall()
    (create_name, _), (rearrange_name, rearrange_args) = last_two
    assert (rearrange_name, create_name) == ("rearrange", "create_booking")
    assert json.loads(rearrange_args)["moves"][0]["booking_id"] == couple_on_a_four_top.id


def test_a_seated_party_is_never_moved_to_make_room(desk, reception, couple_on_a_four_top, clock):
    from datetime import UTC, datetime

    clock.now = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    desk.lifecycle.seat(reception, couple_on_a_four_top.id)

    result = book(desk, reception, 4, "500", allow_moves=True)

    assert result.booking.status is BookingStatus.WAITLISTED


def test_the_manager_sees_a_night_plan_that_seats_a_waitlisted_party_and_applies_it(
    desk, reception, manager, couple_on_a_four_top, db_path
):
    start = desk.queries.venue().venue.wall_time_on(WEDNESDAY, time(20, 0))
    waiting = desk.create.add_to_waitlist(
        reception,
        NewBooking(
            name="Waiting Four",
            phone="0113 496 0600",
            party_size=4,
            start=start,
            duration_minutes=90,
        ),
    ).booking

    planned = desk.night_plan.propose(manager, WEDNESDAY)

    assert planned.lines == (
        "Move Guest 200 (party of 2) from table 4 to table 1",
        "Seat Waiting Four (party of 4) from the waitlist at table 4",
    )
    desk.night_plan.apply(manager, planned)
    night = {v.booking.id: v.booking for v in desk.queries.bookings_on(WEDNESDAY)}
    plan = desk.queries.venue().plan
    assert night[waiting.id].status is BookingStatus.CONFIRMED
    assert plan.numbers(night[waiting.id].table_ids) == "4"
    assert plan.numbers(night[couple_on_a_four_top.id].table_ids) == "1"
    with sqlite3.connect(db_path) as conn:
        names = [
            r[0] for r in conn.execute("SELECT name FROM outbox ORDER BY device_seq DESC LIMIT 2")
        ]
    assert names == ["set_status", "rearrange"]


def test_a_stale_night_plan_is_refused_whole(
    desk, reception, manager, couple_on_a_four_top, db_path
):
    from tests.integration.conftest import counts

    start = desk.queries.venue().venue.wall_time_on(WEDNESDAY, time(20, 0))
    desk.create.add_to_waitlist(
        reception,
        NewBooking(
            name="Waiting Four",
            phone="0113 496 0600",
            party_size=4,
            start=start,
            duration_minutes=90,
        ),
    )
    planned = desk.night_plan.propose(manager, WEDNESDAY)
    desk.edits.move(
        reception, couple_on_a_four_top.id, (desk.queries.venue().plan.table_by_number(1).id,)
    )
    before = counts(db_path)

    with pytest.raises(DomainError, match="changed after this plan was made"):
        desk.night_plan.apply(manager, planned)

    assert counts(db_path) == before


def test_reception_may_not_re_arrange_the_night(desk, reception):
    with pytest.raises(PermissionDenied):
        desk.night_plan.propose(reception, WEDNESDAY)
