"""The rules of a deposit settled at the bar, in the domain alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_ledger import (
    LedgerEntry,
    LedgerKind,
    PaymentMethod,
    parse_pounds,
    totals,
)
from app.domain.deposit_words import deposit_words
from app.domain.errors import DomainError, InvalidInput
from app.domain.permissions import Action, Role, Staff

AT = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
OWING = Booking(
    id="b1",
    venue_id="v",
    reference="ABCDEFGHJK0",
    customer_id="c",
    party_size=8,
    start=AT,
    duration_minutes=120,
    status=BookingStatus.PENDING,
    created_at=AT,
    updated_at=AT,
    deposit_state=DepositState.REQUIRED,
    deposit_pence=8000,
)


def test_the_whole_deposit_paid_in_person_settles_it_and_confirms_the_booking():
    after = kernel.paid_in_person(OWING, amount_pence=8000, currency="GBP", at=AT)

    assert (after.deposit_state, after.status, after.deposit_pence) == (
        DepositState.PAID,
        BookingStatus.CONFIRMED,
        8000,
    )


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        (0, "GBP", "more than £0.00"),
        (-1, "GBP", "more than £0.00"),
        (8001, "GBP", "£80.01 is more than the £80.00 deposit"),
        (7999, "GBP", "£79.99 is less than the £80.00 deposit"),
        (8000, "USD", "pounds sterling"),
    ],
)
def test_a_payment_that_is_not_exactly_what_is_owed_in_pounds_is_refused(amount, currency, words):
    with pytest.raises(InvalidInput, match=words):
        kernel.paid_in_person(OWING, amount_pence=amount, currency=currency, at=AT)


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (DepositState.WAIVED, "was waived; it cannot be paid"),
        (DepositState.REFUNDED, "was refunded; it cannot be paid"),
        (DepositState.REFUND_FAILED, "was refunded; it cannot be paid"),
        (DepositState.PAID, "already paid"),
        (DepositState.NOT_REQUIRED, "owes no deposit"),
    ],
)
def test_only_a_deposit_still_owed_can_be_paid(state, words):
    with pytest.raises(DomainError, match=words):
        kernel.paid_in_person(
            replace(OWING, deposit_state=state), amount_pence=8000, currency="GBP", at=AT
        )


def test_a_paid_deposit_cannot_be_waived_and_a_waiver_needs_a_reason():
    paid = replace(OWING, deposit_state=DepositState.PAID, status=BookingStatus.CONFIRMED)

    with pytest.raises(DomainError, match="is paid; it cannot be waived"):
        kernel.waived(paid, reason="regulars", at=AT)
    with pytest.raises(InvalidInput, match="Say why"):
        kernel.waived(OWING, reason=" ", at=AT)
    assert kernel.waived(OWING, reason="regulars", at=AT).deposit_state is DepositState.WAIVED


def test_a_cancelled_booking_takes_no_deposit():
    cancelled = replace(OWING, status=BookingStatus.CANCELLED)

    with pytest.raises(DomainError, match="is cancelled; its deposit cannot be paid"):
        kernel.paid_in_person(cancelled, amount_pence=8000, currency="GBP", at=AT)


def test_reception_records_payments_and_only_managers_and_admins_waive():
    assert Staff("s", "Sam", Role.RECEPTION).may(Action.TAKE_DEPOSIT)
    assert not Staff("s", "Sam", Role.RECEPTION).may(Action.WAIVE_DEPOSIT)
    assert Staff("a", "Alex", Role.MANAGER).may(Action.WAIVE_DEPOSIT)
    assert Staff("j", "Jo", Role.ADMIN).may(Action.WAIVE_DEPOSIT)


def entry(kind, pence, method=None, refused=None):
    return LedgerEntry("e", "b", kind, pence, method, "", "Sam", AT, refused=refused)


def test_the_totals_add_up_to_the_penny_and_leave_out_refused_entries():
    entries = [
        entry(LedgerKind.PAYMENT_IN_PERSON, 8000, PaymentMethod.CASH),
        entry(LedgerKind.PAYMENT_IN_PERSON, 6001, PaymentMethod.CARD_MACHINE),
        entry(LedgerKind.PAYMENT_IN_PERSON, 1999, PaymentMethod.CASH),
        entry(LedgerKind.WAIVER, 9000),
        entry(LedgerKind.PAYMENT_IN_PERSON, 5000, PaymentMethod.CASH, refused="no"),
    ]

    got = totals(entries)

    assert got.by_method == {"card_machine": 6001, "cash": 9999}
    assert got.taken_pence == sum(got.by_method.values()) == 16000
    assert (got.waived_pence, got.entries) == (9000, 4)


def test_the_bookings_list_says_where_a_deposit_stands():
    assert deposit_words(OWING) == "£80.00 owed"
    paid = replace(OWING, deposit_state=DepositState.PAID)
    assert deposit_words(paid, PaymentMethod.CASH) == "£80.00 paid (cash)"
    assert deposit_words(replace(OWING, deposit_state=DepositState.WAIVED)) == "waived"
    assert deposit_words(replace(OWING, deposit_state=DepositState.NOT_REQUIRED)) == ""


@pytest.mark.parametrize(
    ("typed", "pence"), [("80", 8000), ("£80.00", 8000), ("80.5", 8050), ("1,200.99", 120099)]
)
def test_amounts_typed_in_pounds_become_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["", "eighty", "80.001", "£", "8.0.0"])
def test_an_amount_that_is_not_pounds_is_refused(typed):
    with pytest.raises(InvalidInput, match="not an amount in pounds"):
        parse_pounds(typed)


def test_no_payment_link_is_asked_for_a_party_still_on_the_waitlist():
    waiting = replace(OWING, status=BookingStatus.WAITLISTED, table_ids=())

    with pytest.raises(DomainError, match="on the waitlist; its deposit is asked for once"):
        kernel.requested(waiting, at=AT)
    assert kernel.requested(OWING, at=AT).deposit_state is DepositState.REQUESTED
