"""How the desk names where a deposit stands: the list's few words and the detail's whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerEntry, LedgerKind, PaymentMethod
from app.domain.deposit_links import DepositLink, RequestStatus
from app.domain.deposit_modes import DepositMode
from app.domain.deposit_words import deposit_detail, deposit_words
from app.domain.venue import Venue

VENUE = Venue(id="v", name="The Backroom")
# Saturday 5 December 2026, 21:00 in London (GMT, so UTC too).
START = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OWING = Booking(
    id="b1",
    venue_id="v",
    reference="ABCDEFGHJK0",
    customer_id="c",
    party_size=8,
    start=START,
    duration_minutes=120,
    status=BookingStatus.PENDING,
    created_at=AT,
    updated_at=AT,
    deposit_pence=8000,
    deposit_state=DepositState.REQUIRED,
)


def entry(kind: LedgerKind, pence: int, **more: object) -> LedgerEntry:
    values: dict[str, object] = {
        "id": f"{kind}-{pence}",
        "booking_id": "b1",
        "kind": kind,
        "amount_pence": pence,
        "method": None,
        "note": "",
        "staff_name": "Sam",
        "recorded_at": AT,
    }
    return LedgerEntry(**(values | more))  # type: ignore[arg-type]


def link(status: RequestStatus, **more: object) -> DepositLink:
    values: dict[str, object] = {
        "booking_id": "b1",
        "amount_pence": 8000,
        "status": status,
        "url": "https://checkout.example/c/pay_1",
        "expires_at": datetime(2026, 12, 1, 21, 30, tzinfo=UTC),
        "problem": None,
    }
    return DepositLink(**(values | more))  # type: ignore[arg-type]


def state(s: DepositState) -> Booking:
    return replace(OWING, deposit_state=s, status=BookingStatus.CONFIRMED)


def test_an_open_link_says_how_much_is_owed_and_until_when():
    b = replace(OWING, deposit_state=DepositState.REQUESTED)
    assert deposit_detail(VENUE, b, link(RequestStatus.OPEN)) == (
        "£80.00 owed: £80.00 link open until Tue 1 Dec, 21:30."
    )


def test_a_deposit_owed_with_no_link_says_how_it_can_be_settled():
    assert deposit_detail(VENUE, OWING) == (
        "£80.00 owed: no payment link sent yet; take it at the bar or send a link."
    )


def test_a_hold_names_the_card_and_the_last_moment_it_can_be_claimed():
    held = link(
        RequestStatus.HELD,
        mode=DepositMode.HOLD,
        card_last4="4242",
        capture_before=datetime(2026, 12, 8, 11, 0, tzinfo=UTC),
    )
    assert deposit_detail(VENUE, state(DepositState.HELD), held) == (
        "£80.00 held on the card ending 4242; claim it before Tue 8 Dec, 11:00 or the hold lapses."
    )


def test_a_hold_past_its_day_reads_lapsed_before_the_server_has_recorded_it():
    held = link(
        RequestStatus.HELD,
        mode=DepositMode.HOLD,
        card_last4="4242",
        capture_before=datetime(2026, 12, 8, 11, 0, tzinfo=UTC),
    )
    b = state(DepositState.HELD)
    just_before = datetime(2026, 12, 8, 10, 59, tzinfo=UTC)
    after = datetime(2026, 12, 8, 11, 0, tzinfo=UTC)

    assert deposit_detail(VENUE, b, held, now=just_before).endswith("or the hold lapses.")
    assert deposit_detail(VENUE, b, held, now=after) == (
        "£80.00 held on the card ending 4242 until Tue 8 Dec, 11:00: the hold has lapsed at "
        "the bank, so nothing can be claimed on it."
    )


def test_a_saved_card_says_what_it_may_be_charged_for():
    saved = link(RequestStatus.CARD_SAVED, mode=DepositMode.SAVE_CARD, card_last4="3184")
    assert deposit_detail(VENUE, state(DepositState.CARD_SAVED), saved) == (
        "The card ending 3184 is saved: up to £80.00 may be charged for a no-show "
        "or a late cancellation."
    )


def test_a_part_refund_says_how_much_went_back_and_how_much_was_kept():
    b = state(DepositState.REFUNDED)
    ledger = [entry(LedgerKind.STRIPE_PAYMENT, 8000), entry(LedgerKind.REFUND, 3000)]
    assert deposit_words(b, entries=ledger) == "£30.00 of £80.00 refunded"
    assert deposit_detail(VENUE, b, entries=ledger) == (
        "£30.00 of £80.00 refunded (part); £50.00 kept."
    )


def test_a_whole_refund_says_in_full():
    b = state(DepositState.REFUNDED)
    ledger = [entry(LedgerKind.STRIPE_PAYMENT, 8000), entry(LedgerKind.REFUND, 8000)]
    assert deposit_words(b, entries=ledger) == "£80.00 refunded"
    assert deposit_detail(VENUE, b, entries=ledger) == "£80.00 refunded in full."


def test_a_refund_the_server_refused_is_not_counted():
    b = state(DepositState.REFUNDED)
    ledger = [
        entry(LedgerKind.STRIPE_PAYMENT, 8000),
        entry(LedgerKind.REFUND, 8000),
        entry(LedgerKind.REFUND, 1000, id="late", refused="Refund above what was taken."),
    ]
    assert deposit_words(b, entries=ledger) == "£80.00 refunded"


def test_a_payment_at_the_bar_names_how_it_was_paid():
    b = state(DepositState.PAID)
    ledger = [entry(LedgerKind.PAYMENT_IN_PERSON, 8000, method=PaymentMethod.CARD_MACHINE)]
    assert deposit_detail(VENUE, b, entries=ledger) == "£80.00 paid at the bar (card machine)."
    assert deposit_detail(VENUE, b) == "£80.00 paid online."


def test_a_waiver_names_who_waived_it_and_why():
    b = state(DepositState.WAIVED)
    ledger = [entry(LedgerKind.WAIVER, 8000, note="regulars, birthday", staff_name="Priya")]
    assert deposit_detail(VENUE, b, entries=ledger) == "Waived by Priya: regulars, birthday."


def test_a_failed_claim_is_said_with_the_bank_s_reason_beside_the_card_it_was_tried_on():
    saved = link(RequestStatus.CARD_SAVED, mode=DepositMode.SAVE_CARD, card_last4="3184")
    failed = link(
        RequestStatus.FAILED,
        kind=ActionKind.CLAIM,
        problem="The bank wants the guest to approve this charge.",
    )
    assert deposit_detail(VENUE, state(DepositState.CARD_SAVED), saved, failed) == (
        "The card ending 3184 is saved: up to £80.00 may be charged for a no-show "
        "or a late cancellation. The last claim failed: The bank wants the guest to "
        "approve this charge."
    )


def test_a_failed_refund_says_why():
    failed = link(RequestStatus.FAILED, kind=ActionKind.REFUND, problem="Card expired.")
    assert deposit_detail(VENUE, state(DepositState.REFUND_FAILED), None, failed) == (
        "The refund failed: Card expired."
    )


def test_a_refund_the_bank_sent_back_reads_failed_and_to_give_back_in_the_list():
    sent_back = [
        entry(LedgerKind.STRIPE_PAYMENT, 8000),
        entry(LedgerKind.REFUND, 8000),
        entry(LedgerKind.REFUND_FAILED, 8000),
    ]
    b = state(DepositState.REFUND_FAILED)
    assert deposit_words(b, None, sent_back) == "refund failed; £80.00 to give back"
    # Without the server's words, the detail says how to give it back.
    assert deposit_detail(VENUE, b, None, None, sent_back) == (
        "The refund failed. £80.00 more than it may keep: refund it (Refund deposit…)."
    )


def test_a_claim_and_a_release_are_named():
    ledger = [entry(LedgerKind.CAPTURE, 8000)]
    held = link(RequestStatus.HELD, card_last4="4242")
    assert deposit_detail(VENUE, state(DepositState.CLAIMED), held, None, ledger) == (
        "£80.00 claimed from the card ending 4242."
    )
    assert deposit_detail(VENUE, state(DepositState.RELEASED)) == (
        "The £80.00 hold was released: the guest was not charged."
    )


def test_a_deposit_paid_at_the_bar_and_through_its_link_says_what_to_give_back_and_how():
    b = state(DepositState.PAID)
    ledger = [
        entry(LedgerKind.PAYMENT_IN_PERSON, 8000, method=PaymentMethod.CASH),
        entry(LedgerKind.STRIPE_PAYMENT, 8000),
    ]
    assert deposit_words(b, PaymentMethod.CASH, ledger) == (
        "£80.00 paid (cash); £80.00 to give back"
    )
    assert deposit_detail(VENUE, b, entries=ledger) == (
        "£80.00 paid at the bar (cash). £80.00 more than it may keep: refund it (Refund deposit…)."
    )


def test_a_link_paid_after_the_booking_was_cancelled_reads_as_money_to_give_back():
    b = replace(OWING, deposit_state=DepositState.REQUESTED, status=BookingStatus.CANCELLED)
    ledger = [entry(LedgerKind.STRIPE_PAYMENT, 8000)]
    assert deposit_words(b, entries=ledger) == "£80.00 to give back"
    assert deposit_detail(VENUE, b, entries=ledger).endswith(
        "£80.00 more than it may keep: refund it (Refund deposit…)."
    )


def test_once_a_manager_refunded_part_nothing_more_is_said_to_give_back():
    b = state(DepositState.REFUNDED)
    ledger = [
        entry(LedgerKind.PAYMENT_IN_PERSON, 8000, method=PaymentMethod.CASH),
        entry(LedgerKind.STRIPE_PAYMENT, 8000),
        entry(LedgerKind.REFUND, 8000),
    ]
    assert deposit_words(b, entries=ledger) == "£80.00 of £160.00 refunded"
    assert "to give back" not in deposit_words(b, entries=ledger)
    assert "more than it may keep" not in deposit_detail(VENUE, b, entries=ledger)
