"""One save of the edit dialog: time, details and guest, with no refused part hidden."""

from datetime import time, timedelta

import pytest

from app.domain.errors import DomainError, InvalidFields
from app.services.booking_changes import BookingChanges
from app.services.booking_create import NewBooking
from tests.integration.conftest import counts
from tests.integration.test_use_cases import party, wednesday


def test_time_party_and_guest_are_saved_together(desk, reception):
    seven = desk.queries.venue().plan.table_by_number(7).id
    b = desk.create.create_booking(reception, party(desk, size=2, table_ids=(seven,))).booking

    outcome = desk.editing.apply(
        reception,
        BookingChanges(
            b.id,
            b.customer_id,
            start=b.start + timedelta(minutes=30),
            party_size=3,
            name="Ava Woods",
        ),
    )

    assert outcome.refused is None and len(outcome.saved) == 3
    view = desk.queries.booking(b.id)
    assert view.booking.start == b.start + timedelta(minutes=30)
    assert view.booking.party_size == 3 and view.customer.name == "Ava Woods"


def test_a_time_where_another_party_sits_is_refused_naming_them_and_nothing_changes(
    desk, reception, db_path
):
    venue = desk.queries.venue().venue
    plan = desk.queries.venue().plan
    seven = plan.table_by_number(7).id
    mine = desk.create.create_booking(
        reception,
        NewBooking(
            name="Ava Wood",
            phone="0113 496 0001",
            party_size=2,
            start=wednesday(desk, 18),
            duration_minutes=90,
            table_ids=(seven,),
        ),
    ).booking
    desk.create.create_booking(
        reception,
        NewBooking(
            name="Ben Hall",
            phone="0113 496 0002",
            party_size=2,
            start=venue.wall_time_on(venue.service_day(mine.start), time(21, 0)),
            duration_minutes=90,
            table_ids=(seven,),
        ),
    )
    before = counts(db_path)

    with pytest.raises(DomainError, match="Ben Hall"):
        desk.editing.apply(
            reception,
            BookingChanges(
                mine.id, mine.customer_id, start=wednesday(desk, 21), party_size=3, name="Ava X"
            ),
        )

    assert counts(db_path) == before
    view = desk.queries.booking(mine.id)
    assert (view.booking.party_size, view.customer.name) == (2, "Ava Wood")


def test_a_typing_slip_in_any_part_is_found_before_anything_is_saved(desk, reception, db_path):
    b = desk.create.create_booking(reception, party(desk)).booking
    before = counts(db_path)

    with pytest.raises(InvalidFields) as refused:
        desk.editing.apply(
            reception,
            BookingChanges(
                b.id, b.customer_id, start=b.start + timedelta(minutes=30), email="not an email"
            ),
        )

    assert set(refused.value.errors) == {"email"}
    assert counts(db_path) == before


def test_a_part_refused_after_another_was_saved_is_named_with_what_was_saved(desk, reception):
    b = desk.create.create_booking(reception, party(desk)).booking

    outcome = desk.editing.apply(
        reception, BookingChanges(b.id, b.customer_id, notes="Booth please", name="Ava Wood")
    )

    assert outcome.refused is not None and outcome.refused_part == "guest"
    ref = b.reference
    grouped = f"{ref[:4]}-{ref[4:8]}-{ref[8:]}"  # as staff read it out
    assert outcome.message.startswith(f"Saved: Updated Ava Wood's booking {grouped}.")
    assert "Not saved: the guest — Nothing was changed." in outcome.message
    assert desk.queries.booking(b.id).booking.notes == "Booth please"
