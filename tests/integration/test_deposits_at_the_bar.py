"""Deposits settled at the bar: taken in person or waived by a manager, offline, each with
its ledger entry at once; seating at the door settles first. Bad input changes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_ledger import PaymentMethod
from app.domain.errors import DomainError, PermissionDenied
from app.services.deposit_ledger import DepositLedger
from app.services.deposits import TakeDeposit, WaiveDeposit
from tests.integration.conftest import counts
from tests.integration.test_use_cases import SATURDAY, party, saturday

CASH = PaymentMethod.CASH


def eight_on_saturday(desk, reception):
    """A party of 8 on Saturday at 21:00: £80.00 owed, pending."""
    return desk.create.create_booking(reception, party(desk, 8, 21, saturday)).booking


def written(db_path):
    with sqlite3.connect(db_path) as conn:
        ledger = conn.execute("SELECT count(*) FROM deposit_ledger").fetchone()[0]
    return counts(db_path) | {"deposit_ledger": ledger}


def intents(db_path):
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT name, body FROM outbox ORDER BY device_seq").fetchall()
    return [(name, json.loads(body)["args"]) for name, body in rows]


def test_reception_takes_the_deposit_in_cash_and_the_booking_is_confirmed(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)

    result = desk.deposits.take(reception, pending.id, TakeDeposit(8000, CASH, "paid at the bar"))

    assert result.booking.deposit_state is DepositState.PAID
    assert result.booking.status is BookingStatus.CONFIRMED
    assert result.message == "Took £80.00 deposit (cash) from Ava Wood; the booking is confirmed."
    name, args = intents(db_path)[-1]
    assert name == "record_deposit_payment"
    assert (args["amount_pence"], args["method"], args["currency"]) == (8000, "cash", "GBP")
    saturday_night = DepositLedger(desk.store).night(SATURDAY)
    assert saturday_night.lines == [], "the ledger is by the night it was taken (Wednesday)"


def test_the_entry_shows_in_the_ledger_of_the_night_it_was_taken_before_any_sync(
    desk, reception, clock
):
    pending = eight_on_saturday(desk, reception)

    desk.deposits.take(reception, pending.id, TakeDeposit(8000, PaymentMethod.CARD_MACHINE))

    night = DepositLedger(desk.store).night(desk.queries.venue().venue.service_day(clock()))
    [line] = night.lines
    assert (line.entry.amount_pence, line.entry.method, line.entry.synced) == (
        8000,
        PaymentMethod.CARD_MACHINE,
        False,
    )
    assert line.guest == "Ava Wood" and line.entry.staff_name == reception.name
    assert night.totals.taken_pence == 8000
    assert night.totals.by_method == {"card_machine": 8000}


def test_a_manager_waives_a_deposit_with_a_reason(desk, reception, manager, clock):
    pending = eight_on_saturday(desk, reception)

    result = desk.deposits.waive(manager, pending.id, "regulars, the owner's friends")

    assert (result.booking.deposit_state, result.booking.status) == (
        DepositState.WAIVED,
        BookingStatus.CONFIRMED,
    )
    night = DepositLedger(desk.store).night(desk.queries.venue().venue.service_day(clock()))
    [line] = night.lines
    assert (line.entry.kind.value, line.entry.amount_pence, line.entry.note) == (
        "waiver",
        8000,
        "regulars, the owner's friends",
    )
    assert (night.totals.taken_pence, night.totals.waived_pence) == (0, 8000)


def test_seating_at_the_door_takes_the_deposit_then_seats_in_one_unit_of_work(
    desk, reception, db_path, clock
):
    pending = eight_on_saturday(desk, reception)
    clock.now = pending.start  # the party at the door on its night

    result = desk.deposits.seat_at_door(reception, pending.id, TakeDeposit(8000, CASH))

    assert result.booking.status is BookingStatus.SEATED
    assert result.booking.deposit_state is DepositState.PAID
    assert result.message.startswith("Took £80.00 deposit (cash) from Ava Wood; seated, party")
    assert [name for name, _ in intents(db_path)[-2:]] == ["record_deposit_payment", "set_status"]


def test_a_manager_waives_at_the_door_and_the_party_is_seated(desk, reception, manager, clock):
    pending = eight_on_saturday(desk, reception)
    clock.now = pending.start  # the party at the door on its night

    result = desk.deposits.seat_at_door(manager, pending.id, WaiveDeposit("birthday, on us"))

    assert (result.booking.status, result.booking.deposit_state) == (
        BookingStatus.SEATED,
        DepositState.WAIVED,
    )


def test_seating_at_the_door_that_fails_to_seat_takes_no_deposit_either(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)
    desk.lifecycle.cancel(reception, pending.id, "guest cancelled")
    before = written(db_path)

    with pytest.raises(DomainError, match="cancelled"):
        desk.deposits.seat_at_door(reception, pending.id, TakeDeposit(8000, CASH))

    assert written(db_path) == before


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (-8000, "more than £0.00"),
        (0, "more than £0.00"),
        (8001, "£80.01 is more than the £80.00 deposit"),
        (5000, "£50.00 is less than the £80.00 deposit"),
    ],
)
def test_a_bad_amount_is_refused_with_a_clear_message_and_nothing_written(
    desk, reception, db_path, amount, words
):
    pending = eight_on_saturday(desk, reception)
    before = written(db_path)

    with pytest.raises(DomainError, match=words):
        desk.deposits.take(reception, pending.id, TakeDeposit(amount, CASH))

    assert written(db_path) == before
    assert desk.queries.booking(pending.id).booking.deposit_state is DepositState.REQUIRED


def test_a_deposit_in_another_currency_is_refused(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)
    before = written(db_path)

    with pytest.raises(DomainError, match=r"pounds sterling \(GBP\), not EUR"):
        desk.deposits.take(reception, pending.id, TakeDeposit(8000, CASH, currency="EUR"))

    assert written(db_path) == before


def test_reception_may_not_waive_a_deposit_and_nothing_is_written(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)
    before = written(db_path)

    with pytest.raises(PermissionDenied, match="may not waive a deposit"):
        desk.deposits.waive(reception, pending.id, "they look nice")
    with pytest.raises(PermissionDenied, match="may not waive a deposit"):
        desk.deposits.seat_at_door(reception, pending.id, WaiveDeposit("they look nice"))

    assert written(db_path) == before


def test_a_waived_deposit_cannot_be_paid_and_a_paid_one_cannot_be_waived(
    desk, reception, manager, db_path
):
    waived = eight_on_saturday(desk, reception)
    desk.deposits.waive(manager, waived.id, "regulars")
    paid = desk.create.create_booking(
        reception, party(desk, 8, 22, saturday, name="Bo Lee", phone="0113 496 0002")
    ).booking
    desk.deposits.take(reception, paid.id, TakeDeposit(8000, CASH))
    before = written(db_path)

    with pytest.raises(DomainError, match="was waived; it cannot be paid"):
        desk.deposits.take(reception, waived.id, TakeDeposit(8000, CASH))
    with pytest.raises(DomainError, match="is paid; it cannot be waived"):
        desk.deposits.waive(manager, paid.id, "changed my mind")
    with pytest.raises(DomainError, match="already paid"):
        desk.deposits.take(reception, paid.id, TakeDeposit(8000, CASH))

    assert written(db_path) == before


def test_a_waiver_needs_a_reason(desk, reception, manager, db_path):
    pending = eight_on_saturday(desk, reception)
    before = written(db_path)

    with pytest.raises(DomainError, match="Say why the deposit is waived"):
        desk.deposits.waive(manager, pending.id, "   ")

    assert written(db_path) == before


def test_a_booking_that_owes_nothing_takes_no_deposit(desk, reception, db_path):
    small = desk.create.create_booking(reception, party(desk, 2, 21, saturday)).booking
    before = written(db_path)

    with pytest.raises(DomainError, match="owes no deposit"):
        desk.deposits.take(reception, small.id, TakeDeposit(100, CASH))

    assert written(db_path) == before
