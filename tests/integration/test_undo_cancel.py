"""A cancel made on this desk can be undone for a few minutes: the booking back as it was."""

import json
import sqlite3

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import DomainError
from app.domain.limits import UNDO_CANCEL_MINUTES
from tests.integration.conftest import counts
from tests.integration.test_use_cases import WEDNESDAY, party, wednesday
from tests.integration.test_waitlist_offers import offered, table

S = BookingStatus


def intents(db_path, name):
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT mutation_id, body FROM outbox WHERE name = ? ORDER BY device_seq", (name,)
        ).fetchall()
    return [(mutation_id, json.loads(body)) for mutation_id, body in rows]


@pytest.fixture
def ava(desk, reception, clock):
    clock.now = wednesday(desk, 19, 30)
    return desk.create.create_booking(
        reception, party(desk, 4, 20, name="Ava Wood", table_ids=(table(desk, 7),))
    ).booking


def test_a_cancel_undone_within_minutes_puts_the_booking_back_on_its_table(
    desk, reception, ava, clock, db_path
):
    desk.lifecycle.cancel(reception, ava.id, "guest cancelled")
    clock.advance(minutes=UNDO_CANCEL_MINUTES - 1)

    result = desk.lifecycle.undo_cancel(reception, ava.id)

    back = desk.queries.booking(ava.id)
    assert (back.booking.status, back.tables) == (S.CONFIRMED, "7")
    assert result.message == "Cancel undone: Ava Wood, party of 4, back at table 7."
    [(cancel_id, _)] = intents(db_path, "cancel")
    [(_, undo)] = intents(db_path, "undo_cancel")
    assert undo["args"] == {
        "cancel_id": cancel_id,
        "status": "confirmed",
        "table_ids": [table(desk, 7)],
    }


def test_an_undo_after_the_window_is_refused_in_words_and_changes_nothing(
    desk, reception, ava, clock, db_path
):
    desk.lifecycle.cancel(reception, ava.id)
    clock.advance(minutes=UNDO_CANCEL_MINUTES, seconds=1)
    before = counts(db_path)

    with pytest.raises(DomainError, match="cancelled more than 5 minutes ago"):
        desk.lifecycle.undo_cancel(reception, ava.id)

    assert counts(db_path) == before
    assert desk.queries.booking(ava.id).booking.status is S.CANCELLED


def test_a_cancel_is_undone_once_and_a_live_booking_has_nothing_to_undo(desk, reception, ava):
    with pytest.raises(DomainError, match="no cancel of Ava Wood's booking"):
        desk.lifecycle.undo_cancel(reception, ava.id)
    desk.lifecycle.cancel(reception, ava.id)
    desk.lifecycle.undo_cancel(reception, ava.id)

    with pytest.raises(DomainError, match="already undone"):
        desk.lifecycle.undo_cancel(reception, ava.id)


def test_a_cancel_made_again_after_an_undo_can_be_undone_again(desk, reception, ava):
    desk.lifecycle.cancel(reception, ava.id)
    desk.lifecycle.undo_cancel(reception, ava.id)
    desk.lifecycle.cancel(reception, ava.id, "duplicate booking")

    desk.lifecycle.undo_cancel(reception, ava.id)

    assert desk.queries.booking(ava.id).booking.status is S.CONFIRMED


def test_an_undo_is_refused_naming_who_booked_the_freed_table_since(desk, reception, ava, db_path):
    desk.lifecycle.cancel(reception, ava.id)
    desk.create.create_booking(
        reception,
        party(desk, 2, 20, name="Dan Oz", phone="0113 496 0108", table_ids=(table(desk, 7),)),
    )
    before = counts(db_path)

    with pytest.raises(DomainError) as refused:
        desk.lifecycle.undo_cancel(reception, ava.id)

    assert str(refused.value) == (
        "Table 7 has been booked since by Dan Oz (2) from 20:00 to 21:30, so Ava Wood's "
        "booking cannot be put back; it stays cancelled. Book them again at another table "
        "or time."
    )
    assert counts(db_path) == before


def test_undoing_withdraws_the_waitlist_offer_the_cancel_made_and_names_the_guest(
    desk, reception, ava
):
    desk.create.add_to_waitlist(reception, party(desk, 4, 20, name="Ben Ho", phone="0113 496 0101"))
    desk.lifecycle.cancel(reception, ava.id)
    made = offered(desk)

    result = desk.lifecycle.undo_cancel(reception, ava.id)

    assert made == [("Ben Ho", "7")]
    assert offered(desk) == []
    assert desk.queries.booking(ava.id).tables == "7"
    assert result.message.endswith(
        "Table 7 is no longer offered to Ben Ho; tell them if they were called."
    )


def test_an_offer_already_accepted_keeps_the_table_and_the_undo_is_refused(desk, reception, ava):
    ben = desk.create.add_to_waitlist(
        reception, party(desk, 4, 20, name="Ben Ho", phone="0113 496 0101")
    ).booking
    desk.lifecycle.cancel(reception, ava.id)
    [offer] = desk.offers.offers(WEDNESDAY)
    desk.lifecycle.promote(reception, ben.id, offer.seating.table_ids, offer.begins)

    with pytest.raises(DomainError, match="booked since by Ben Ho"):
        desk.lifecycle.undo_cancel(reception, ava.id)

    assert desk.queries.booking(ben.id).tables == "7"


def test_a_waitlisted_party_cancelled_by_mistake_goes_back_on_the_waitlist(desk, reception, clock):
    clock.now = wednesday(desk, 19, 30)
    ben = desk.create.add_to_waitlist(
        reception, party(desk, 4, 20, name="Ben Ho", phone="0113 496 0101")
    ).booking
    desk.lifecycle.cancel(reception, ben.id)

    result = desk.lifecycle.undo_cancel(reception, ben.id)

    back = desk.queries.booking(ben.id).booking
    assert (back.status, back.table_ids, back.waitlisted_at) == (
        S.WAITLISTED,
        (),
        ben.waitlisted_at,
    )
    assert result.message == "Cancel undone: Ben Ho, party of 4, back on the waitlist."
