"""Deposit money a manager has to see to, whatever night it was on (the desk's money badge)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import LedgerEntry, LedgerKind, PaymentMethod
from app.domain.deposit_links import DepositLink, RequestStatus
from app.domain.deposit_modes import DepositMode
from app.domain.money_due import Due, MoneyDue, money_due, most_pressing_first
from app.domain.review_money import money_by_booking
from app.domain.venue import Venue

VENUE = Venue(id="v", name="The Backroom")
# Saturday 5 December 2026, 21:00 in London (GMT, so UTC too); the manager looks on Monday.
START = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
PAID = Booking(
    id="b1",
    venue_id="v",
    reference="ABCDEFGHJK0",
    customer_id="c",
    party_size=8,
    start=START,
    duration_minutes=120,
    status=BookingStatus.COMPLETED,
    created_at=START - timedelta(days=3),
    updated_at=START,
    deposit_pence=8000,
    deposit_state=DepositState.PAID,
)


def entry(kind: LedgerKind, pence: int, method: PaymentMethod | None = None) -> LedgerEntry:
    return LedgerEntry(f"{kind}-{pence}", "b1", kind, pence, method, "", "Sam", START)


def action(kind: ActionKind, status: RequestStatus, problem: str | None = None) -> DepositLink:
    return DepositLink("b1", 8000, status, None, None, problem, kind=kind)


HOLD = DepositLink(
    "b1",
    8000,
    RequestStatus.HELD,
    None,
    None,
    None,
    mode=DepositMode.HOLD,
    card_last4="4242",
    capture_before=datetime(2026, 12, 9, 11, 0, tzinfo=UTC),
)


def due(
    b: Booking,
    entries: Sequence[LedgerEntry] = (),
    *,
    link: DepositLink | None = None,
    last: DepositLink | None = None,
    claimable: bool = False,
    now: datetime = NOW,
) -> MoneyDue | None:
    return money_due(
        VENUE,
        b,
        money=money_by_booking(entries).get(b.id),
        entries=entries,
        link=link,
        action=last,
        claimable=claimable,
        now=now,
    )


SENT_BACK = [
    entry(LedgerKind.STRIPE_PAYMENT, 8000),
    entry(LedgerKind.REFUND, 3000),
    entry(LedgerKind.REFUND_FAILED, 3000),
]


def test_a_refund_the_bank_sent_back_is_to_see_to_in_the_servers_words():
    b = replace(PAID, deposit_state=DepositState.REFUND_FAILED)
    words = "The guest's bank sent the £30.00 refund back: the card was closed."
    found = due(b, SENT_BACK, last=action(ActionKind.REFUND, RequestStatus.FAILED, words))

    assert found == MoneyDue(b, Due.SENT_BACK, 3000, words)


def test_a_refund_sent_back_without_the_servers_words_says_what_to_do():
    b = replace(PAID, deposit_state=DepositState.REFUND_FAILED)
    found = due(b, SENT_BACK)

    assert found is not None and found.what == (
        "The guest's bank sent the £30.00 refund back: refund it again (Refund deposit…), "
        "or give it back another way and record it (Money given back…)."
    )


def test_nothing_is_to_see_to_while_a_refund_is_on_its_way_to_stripe():
    b = replace(PAID, deposit_state=DepositState.REFUND_FAILED)
    assert due(b, SENT_BACK, last=action(ActionKind.REFUND, RequestStatus.REQUESTED)) is None


def test_a_claim_stripe_refused_is_to_see_to_with_its_reason():
    b = replace(PAID, status=BookingStatus.NO_SHOW, deposit_state=DepositState.CARD_SAVED)
    refused = action(ActionKind.CLAIM, RequestStatus.FAILED, "Your card was declined.")

    found = due(b, last=refused, claimable=True)

    assert found == MoneyDue(
        b, Due.FAILED, 8000, "The claim of £80.00 failed: Your card was declined."
    )


def test_a_no_shows_hold_is_to_claim_before_the_day_it_lapses():
    b = replace(PAID, status=BookingStatus.NO_SHOW, deposit_state=DepositState.HELD)

    found = due(b, link=HOLD, claimable=True)

    assert found == MoneyDue(
        b,
        Due.CLAIM,
        8000,
        "No-show: £80.00 held on the card ending 4242. Claim it (Claim deposit…) before "
        "Wed 9 Dec, 11:00, or the hold lapses and the guest is not charged.",
        HOLD.capture_before,
    )


def test_a_hold_that_cannot_be_claimed_or_a_week_old_saved_card_is_not_offered():
    held = replace(PAID, status=BookingStatus.NO_SHOW, deposit_state=DepositState.HELD)
    saved = replace(held, deposit_state=DepositState.CARD_SAVED)

    assert due(held, link=HOLD, claimable=False) is None
    assert due(saved, claimable=True) is not None
    assert due(saved, claimable=True, now=START + timedelta(days=7, minutes=1)) is None


def test_money_a_booking_may_not_keep_is_to_give_back_and_says_how():
    twice = [
        entry(LedgerKind.PAYMENT_IN_PERSON, 8000, PaymentMethod.CASH),
        entry(LedgerKind.STRIPE_PAYMENT, 8000),
    ]

    found = due(PAID, twice)

    words = "Holds £80.00 more than it may keep: refund it (Refund deposit…)."
    assert found == MoneyDue(PAID, Due.GIVE_BACK, 8000, words)
    assert due(PAID, twice[:1]) is None


def test_the_most_pressing_comes_first_a_holds_day_then_what_is_due_then_the_latest_night():
    older = replace(PAID, id="old", start=START - timedelta(days=7))
    lines = [
        MoneyDue(older, Due.GIVE_BACK, 1, "a"),
        MoneyDue(PAID, Due.GIVE_BACK, 1, "b"),
        MoneyDue(older, Due.SENT_BACK, 1, "c"),
        MoneyDue(PAID, Due.CLAIM, 1, "d", HOLD.capture_before),
        MoneyDue(PAID, Due.CLAIM, 1, "e", NOW),
    ]

    assert [m.what for m in most_pressing_first(lines)] == ["e", "d", "c", "b", "a"]


def test_nothing_is_to_see_to_while_a_desks_claim_waits_for_the_server():
    b = replace(PAID, status=BookingStatus.NO_SHOW, deposit_state=DepositState.HELD)
    assert due(b, link=HOLD, claimable=True) is not None
    assert (
        money_due(
            VENUE,
            b,
            money=None,
            entries=[],
            link=HOLD,
            action=None,
            claimable=True,
            now=NOW,
            asked=True,
        )
        is None
    )


def test_a_failed_refund_is_seen_to_once_money_goes_back_and_a_failed_claim_once_none_can_be():
    refused = replace(
        action(ActionKind.REFUND, RequestStatus.FAILED, "Insufficient funds in Stripe."),
        requested_at=START + timedelta(days=1),
    )
    paid = [entry(LedgerKind.STRIPE_PAYMENT, 8000)]
    cash = LedgerEntry("g", "b1", LedgerKind.GIVEN_BACK, 8000, PaymentMethod.CASH, "", "Sam", NOW)
    gone = replace(PAID, deposit_state=DepositState.REFUNDED)
    saved = replace(PAID, status=BookingStatus.NO_SHOW, deposit_state=DepositState.CARD_SAVED)
    declined = action(ActionKind.CLAIM, RequestStatus.FAILED, "Your card was declined.")

    assert due(PAID, paid, last=refused) is not None
    assert due(gone, [*paid, cash], last=refused) is None
    assert due(saved, last=declined, claimable=False) is None
