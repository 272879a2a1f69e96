"""A booking for a time gone by or a year too far is refused at the desk and writes
nothing; a manager may write up a past booking on purpose, and the audit says so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import InvalidFields, InvalidInput, PermissionDenied
from app.services.booking_create import NewBooking
from tests.integration.conftest import counts


def party(desk, start, **kw):
    return NewBooking(name="Ava Wood", phone="0113 496 0001", party_size=2, start=start, **kw)


@pytest.fixture
def yesterday_at_five(desk):
    venue = desk.queries.venue().venue
    tonight = desk.queries.tonight()
    return venue.wall_time_on(tonight - timedelta(days=1), venue.opening_hours[0].opens)


def test_a_booking_for_last_night_is_refused_and_writes_nothing(
    desk, reception, db_path, yesterday_at_five
):
    before = counts(db_path)

    with pytest.raises(InvalidFields) as refused:
        desk.create.create_booking(reception, party(desk, yesterday_at_five))

    assert "has passed (it is now Wed 25 Nov, 15:00)" in refused.value.errors["start"]
    assert counts(db_path) == before


def test_the_waitlist_refuses_a_time_gone_by_too(desk, reception, yesterday_at_five):
    with pytest.raises(InvalidFields) as refused:
        desk.create.add_to_waitlist(reception, party(desk, yesterday_at_five))

    assert "has passed" in refused.value.errors["start"]


def test_a_manager_records_a_past_booking_and_the_intent_says_it_was_recorded_past(
    desk, manager, db_path, yesterday_at_five
):
    result = desk.create.create_booking(manager, party(desk, yesterday_at_five, record_past=True))

    assert result.booking.status is BookingStatus.CONFIRMED
    assert result.booking.start == yesterday_at_five
    assert '"recorded_past":true' in _last_sent_body(db_path)


def test_reception_cannot_record_a_past_booking(desk, reception, db_path, yesterday_at_five):
    before = counts(db_path)

    with pytest.raises(PermissionDenied):
        desk.create.create_booking(reception, party(desk, yesterday_at_five, record_past=True))

    assert counts(db_path) == before


def test_asking_to_record_the_past_for_a_future_time_is_an_ordinary_booking(
    desk, reception, db_path
):
    venue = desk.queries.venue().venue
    tonight = venue.wall_time_on(desk.queries.tonight(), venue.opening_hours[2].opens)

    desk.create.create_booking(reception, party(desk, tonight, record_past=True))

    assert '"recorded_past":false' in _last_sent_body(db_path)


def test_a_date_a_year_and_more_ahead_is_refused_naming_the_last_bookable_day(
    desk, reception, db_path
):
    venue = desk.queries.venue().venue
    far = venue.wall_time_on(
        desk.queries.tonight() + timedelta(days=371), venue.opening_hours[2].opens
    )
    before = counts(db_path)

    with pytest.raises(InvalidFields) as refused:
        desk.create.create_booking(reception, party(desk, far))

    assert "The Backroom takes bookings up to Thu 25 Nov 2027" in refused.value.errors["start"]
    assert counts(db_path) == before


def test_moving_a_booking_to_a_time_gone_by_is_refused(desk, reception, clock):
    venue = desk.queries.venue().venue
    at_five = venue.wall_time_on(desk.queries.tonight(), venue.opening_hours[2].opens)
    booking = desk.create.create_booking(reception, party(desk, at_five)).booking
    clock.advance(hours=5)  # 20:00

    with pytest.raises(InvalidInput, match="has passed"):
        desk.edits.move(
            reception, booking.id, booking.table_ids, start=at_five + timedelta(hours=1)
        )


def test_a_late_partys_booking_can_still_change_tables_at_its_own_time(desk, reception, clock):
    venue = desk.queries.venue().venue
    at_five = venue.wall_time_on(desk.queries.tonight(), venue.opening_hours[2].opens)
    booking = desk.create.create_booking(reception, party(desk, at_five)).booking
    clock.advance(hours=3)  # 18:00: the party is an hour late
    other = next(
        t.id for t in venue_plan(desk).tables if t.id not in booking.table_ids and t.max_covers >= 2
    )

    moved = desk.edits.move(reception, booking.id, (other,)).booking

    assert moved.table_ids == (other,) and moved.start == at_five


def venue_plan(desk):
    return desk.queries.venue().plan


def _last_sent_body(db_path) -> str:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT body FROM outbox ORDER BY rowid DESC LIMIT 1").fetchone()[0]
