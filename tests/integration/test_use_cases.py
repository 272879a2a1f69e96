"""Each use case writes its rows, one audit event and one outbox intent — all or nothing."""

import json
import sqlite3
from datetime import UTC, date, datetime, time

import pytest

from app.domain.booking import BookingStatus, DepositState
from app.domain.errors import DomainError, InvalidFields, PermissionDenied
from app.services.booking_create import NewBooking
from tests.integration.conftest import counts

SATURDAY = date(2026, 11, 28)
WEDNESDAY = date(2026, 11, 25)


def saturday(desk, hh, mm=0):
    return desk.queries.venue().venue.wall_time_on(SATURDAY, time(hh, mm))


def wednesday(desk, hh, mm=0):
    return desk.queries.venue().venue.wall_time_on(WEDNESDAY, time(hh, mm))


def party(desk, size=4, hh=20, day=wednesday, **kw):
    fields = {"name": "Ava Wood", "phone": "0113 496 0001"} | kw
    return NewBooking(party_size=size, start=day(desk, hh), **fields)


def last_intent(db_path):
    with sqlite3.connect(db_path) as conn:
        name, args = conn.execute(
            "SELECT name, json_extract(body, '$.args') FROM outbox ORDER BY device_seq DESC LIMIT 1"
        ).fetchone()
    return name, json.loads(args)


def last_audit(db_path):
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "SELECT action, before, after FROM audit_event ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    return row[0], json.loads(row[1]) if row[1] else None, json.loads(row[2])


def test_creating_a_booking_writes_the_booking_its_audit_event_and_its_intent(
    desk, reception, db_path
):
    before = counts(db_path)

    result = desk.create.create_booking(reception, party(desk))

    after = counts(db_path)
    assert after["booking"] == before["booking"] + 1
    assert after["audit_event"] == before["audit_event"] + 1
    assert after["outbox"] == before["outbox"] + 1
    assert result.booking.status is BookingStatus.CONFIRMED
    name, args = last_intent(db_path)
    assert name == "create_booking" and args["reference"] == result.booking.reference
    action, was, now = last_audit(db_path)
    assert (action, was, now["status"]) == ("create_booking", None, "confirmed")


def test_a_party_of_nine_on_saturday_lands_on_15_and_16_pending_its_deposit(desk, reception):
    result = desk.create.create_booking(reception, party(desk, 9, 21, saturday))

    assert desk.queries.venue().plan.numbers(result.booking.table_ids) == "15 + 16"
    assert result.booking.combined
    assert result.booking.status is BookingStatus.PENDING
    assert (result.booking.deposit_state, result.booking.deposit_pence) == (
        DepositState.REQUIRED,
        9000,
    )
    assert "£90.00 deposit" in result.message


def test_when_nothing_fits_the_booking_goes_on_the_waitlist_automatically(desk, reception):
    desk.create.create_booking(reception, party(desk, 9, 20))

    result = desk.create.create_booking(reception, party(desk, 9, 20, phone="0113 496 0002"))

    assert result.booking.status is BookingStatus.WAITLISTED
    assert result.booking.table_ids == ()
    assert result.message.startswith("Added to the waitlist")


def test_a_returning_guest_is_found_by_phone_and_not_duplicated(desk, reception, db_path):
    first = desk.create.create_booking(reception, party(desk, 2, 18))

    second = desk.create.create_booking(
        reception,
        NewBooking(
            name="ava  WOOD", phone="+44 113 496 0001", party_size=2, start=wednesday(desk, 21)
        ),
    )

    assert second.customer.id == first.customer.id
    assert counts(db_path)["customer"] == 1


@pytest.mark.parametrize("step", ["seat", "complete", "no_show", "cancel"])
def test_every_status_change_is_journaled_with_before_and_after(
    desk, reception, db_path, clock, step
):
    booking = desk.create.create_booking(reception, party(desk)).booking
    if step == "complete":
        desk.lifecycle.seat(reception, booking.id)
    if step == "no_show":
        clock.now = booking.start  # a party is a no-show only once its time has come
    before = counts(db_path)

    result = getattr(desk.lifecycle, step)(reception, booking.id)

    after = counts(db_path)
    assert after["audit_event"] - before["audit_event"] == 1
    assert after["outbox"] - before["outbox"] == 1
    _, was, now = last_audit(db_path)
    assert now["status"] == result.booking.status.value != was["status"]
    assert last_intent(db_path)[0] == ("cancel" if step == "cancel" else "set_status")


def test_moving_a_booking_records_where_it_was_and_where_it_went(desk, reception, db_path):
    plan = desk.queries.venue().plan
    booking = desk.create.create_booking(reception, party(desk)).booking
    target = (
        plan.table_by_number(5).id
        if plan.table(booking.table_ids[0]).number != 5
        else plan.table_by_number(6).id
    )

    result = desk.edits.move(reception, booking.id, (target,))

    assert result.booking.table_ids == (target,)
    name, args = last_intent(db_path)
    assert name == "move_booking" and args["table_ids"] == [target]
    assert last_audit(db_path)[1]["table_ids"] == list(booking.table_ids)


def test_moving_onto_a_taken_table_is_refused_and_changes_nothing(desk, reception, db_path):
    a = desk.create.create_booking(reception, party(desk)).booking
    b = desk.create.create_booking(reception, party(desk, phone="0113 496 0003")).booking
    before = counts(db_path)

    with pytest.raises(DomainError, match="taken"):
        desk.edits.move(reception, b.id, a.table_ids)

    assert counts(db_path) == before


def test_a_walk_in_is_seated_now_at_the_best_free_table(desk, reception, clock):
    clock.now = datetime(2026, 11, 25, 19, 7, 30, tzinfo=UTC)

    result = desk.create.walk_in(reception, 3)

    assert result.booking.status is BookingStatus.SEATED
    assert result.booking.start == datetime(2026, 11, 25, 19, 7, tzinfo=UTC)
    assert desk.queries.venue().plan.table(result.booking.table_ids[0]).fits(3)


def test_promoting_from_the_waitlist_assigns_the_table_that_freed_up_pending_deposit(
    desk, reception
):
    first = desk.create.create_booking(reception, party(desk, 9, 20)).booking
    waiting = desk.create.create_booking(reception, party(desk, 9, 20, phone="0113 496 0004"))
    desk.lifecycle.cancel(reception, first.id)

    promoted = desk.lifecycle.promote(reception, waiting.booking.id)

    assert promoted.booking.status is BookingStatus.PENDING  # nine guests owe a deposit
    assert desk.queries.venue().plan.numbers(promoted.booking.table_ids) == "15 + 16"


def test_editing_details_journals_only_what_changed(desk, reception, db_path):
    booking = desk.create.create_booking(reception, party(desk)).booking

    desk.edits.edit_details(reception, booking.id, notes="Regular, likes the booth")

    name, args = last_intent(db_path)
    assert (name, args) == ("edit_details", {"notes": "Regular, likes the booth"})


def test_the_manager_moves_a_table_and_the_move_is_journaled(desk, manager, db_path):
    table = desk.queries.venue().plan.table_by_number(4)

    desk.floor.move_table(manager, table.id, 333.0, 222.0)

    moved = desk.queries.venue().plan.table(table.id)
    assert (moved.x, moved.y) == (333.0, 222.0)
    assert last_intent(db_path)[0] == "update_table"


def test_device_sequence_numbers_have_no_gaps_even_after_refused_use_cases(
    desk, reception, db_path
):
    desk.create.create_booking(reception, party(desk))
    with pytest.raises(InvalidFields):
        desk.create.create_booking(reception, party(desk, 0))
    desk.create.create_booking(reception, party(desk, 2, 18, phone="0113 496 0005"))

    with sqlite3.connect(db_path) as conn:
        seqs = [r[0] for r in conn.execute("SELECT device_seq FROM outbox ORDER BY device_seq")]
    assert seqs == list(range(1, len(seqs) + 1))


# --- bad input: a clear message naming the problem, and nothing written ------------------

BAD = {
    "party of zero": (dict(size=0), "party_size"),
    "party above the largest table": (dict(size=40), "party_size"),
    "outside opening hours": (dict(hh=15), "start"),
    "invalid phone": (dict(phone="12345"), "phone"),
    "invalid email": (dict(email="ava@"), "email"),
    "no name": (dict(name="  "), "name"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_names_the_field_and_writes_nothing(desk, reception, db_path, case):
    changes, field = BAD[case]
    size = changes.pop("size", 4)
    hh = changes.pop("hh", 20)
    cmd = party(desk, size, hh, **changes)
    before = counts(db_path)

    with pytest.raises(InvalidFields) as refused:
        desk.create.create_booking(reception, cmd)

    assert field in refused.value.errors
    assert counts(db_path) == before


def test_several_bad_fields_are_reported_together(desk, reception):
    cmd = NewBooking(name="", phone="1", party_size=0, start=wednesday(desk, 15))

    with pytest.raises(InvalidFields) as refused:
        desk.create.create_booking(reception, cmd)

    assert set(refused.value.errors) >= {"name", "phone", "party_size", "start"}


def test_an_unknown_table_is_refused_and_nothing_written(desk, reception, db_path):
    before = counts(db_path)

    with pytest.raises(DomainError, match="no table"):
        desk.create.create_booking(reception, party(desk, table_ids=("no-such-table",)))

    assert counts(db_path) == before


def test_an_illegal_status_move_is_refused_naming_it_and_nothing_written(desk, reception, db_path):
    booking = desk.create.create_booking(reception, party(desk)).booking
    desk.lifecycle.cancel(reception, booking.id)
    before = counts(db_path)

    with pytest.raises(DomainError, match="from cancelled to seated"):
        desk.lifecycle.seat(reception, booking.id)

    assert counts(db_path) == before


def test_a_role_that_may_not_run_a_use_case_is_refused_and_nothing_written(
    desk, reception, db_path
):
    table = desk.queries.venue().plan.table_by_number(4)
    before = counts(db_path)

    with pytest.raises(PermissionDenied, match="may not edit the floor plan"):
        desk.floor.move_table(reception, table.id, 10.0, 10.0)

    assert counts(db_path) == before


def test_a_booking_with_its_deposit_unpaid_cannot_be_confirmed(desk, reception):
    pending = desk.create.create_booking(reception, party(desk, 9, 21, saturday)).booking

    with pytest.raises(DomainError, match="deposit"):
        desk.lifecycle.confirm(reception, pending.id)


def test_a_confirmation_names_the_day_as_well_as_the_time(desk, reception):
    venue = desk.queries.venue().venue
    friday = venue.wall_time_on(date(2026, 11, 27), time(21, 0))

    result = desk.create.create_booking(
        reception, NewBooking(name="Ava Wood", phone="0113 496 0001", party_size=2, start=friday)
    )

    assert result.message.endswith("for Fri 27 Nov, 21:00.")


def test_a_move_onto_a_taken_table_names_the_party_there_and_when_the_table_is_free(
    desk, reception
):
    venue = desk.queries.venue().venue
    plan = desk.queries.venue().plan
    night = desk.queries.tonight()
    fifteen = plan.table_by_number(15).id
    earlier = NewBooking(
        name="Ava Wood",
        phone="0113 496 0001",
        party_size=4,
        start=venue.wall_time_on(night, time(19, 0)),
        duration_minutes=120,
        table_ids=(fifteen,),
    )
    desk.create.create_booking(reception, earlier)
    late = NewBooking(
        name="Ben Hall",
        phone="0113 496 0002",
        party_size=4,
        start=venue.wall_time_on(night, time(22, 0)),
        duration_minutes=120,
    )
    moving = desk.create.create_booking(reception, late).booking

    with pytest.raises(DomainError) as refused:
        desk.edits.move(reception, moving.id, (fifteen,), venue.wall_time_on(night, time(20, 30)))

    assert str(refused.value) == (
        "Table 15 is taken from 19:00 to 21:00 by Ava Wood (4); it is free from 21:00, "
        "or choose another table."
    )
