"""Deposit money a manager has to see to, whatever night it was on.

The night review shows one night's money, and the bookings list one night's bookings.
What goes wrong with a deposit often happens days later, when nobody looks at that
night again: the guest's bank sends a refund back, a refund or claim Stripe refused
waits for a manager, a no-show's card hold lapses seven days after it was made. None of
these may pass silently (docs/payments.md, "Money to see to"), so the desk counts them
on a badge and lists them, each from the rule the rest of the desk already uses: what a
booking holds beyond what it may keep (``review_money.to_give_back``), whether a claim
may still be made (the claim's one meaning, asked by the caller: ``claimable``).

A line goes away by itself once it is seen to: a refund made, a claim made, a hold let
go or lapsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_actions import CLAIMABLE, ActionKind, card_words, refundable_pence
from app.domain.deposit_ledger import LedgerEntry, LedgerKind
from app.domain.deposit_links import DepositLink, RequestStatus
from app.domain.deposit_modes import HOLD_LASTS
from app.domain.deposit_words import give_back_words
from app.domain.deposits import format_pence
from app.domain.review_money import BookingMoney, to_give_back
from app.domain.venue import Venue

# How far back the desk looks for money to see to. Banks report a refund they cannot
# deliver within days to a few weeks (Stripe: "refund.failed"), and a deposit is never
# claimed more than a week after its night (below); two months covers both with room.
LOOK_BACK = timedelta(days=60)
# A no-show's claim is offered for as long as a card hold lasts. A saved card does not
# lapse, but a venue that has not charged it within a week of the night chose not to.
CLAIM_WITHIN = HOLD_LASTS


class Due(StrEnum):
    """What the manager has to do, most pressing first."""

    CLAIM = "claim"
    SENT_BACK = "refund sent back"
    FAILED = "failed at Stripe"
    GIVE_BACK = "to give back"


ORDER = {due: i for i, due in enumerate(Due)}


@dataclass(frozen=True, slots=True)
class MoneyDue:
    """One booking's money to see to: ``what`` says what happened and what to do;
    ``by``: the last moment it can be done, if there is one (a hold's day)."""

    booking: Booking
    due: Due
    amount_pence: int
    what: str
    by: datetime | None = None


def money_due(
    venue: Venue,
    b: Booking,
    *,
    money: BookingMoney | None,
    entries: Iterable[LedgerEntry],
    link: DepositLink | None,
    action: DepositLink | None,
    claimable: bool,
    now: datetime,
    asked: bool = False,
) -> MoneyDue | None:
    """What a manager has to see to on ``b``'s deposit at ``now``, if anything. ``money``:
    its ledger added up (``review_money.money_by_booking``), ``entries`` the ledger itself;
    ``link``: its latest payment link, ``action`` its latest claim, refund or release;
    ``claimable``: whether the claim's one meaning allows a claim of the whole deposit now;
    ``asked``: a claim or refund a desk asked for that the server has not answered yet."""
    if asked or (action is not None and action.status is RequestStatus.REQUESTED):
        return None  # a claim, refund or release is on its way to Stripe
    entries = list(entries)
    back = to_give_back(b, money) if money is not None else 0
    if back and b.deposit_state is DepositState.REFUND_FAILED:
        told = action.problem if action is not None and action.problem else None
        what = told or (
            f"The guest's bank sent the {format_pence(back)} refund back: refund it again "
            "(Refund deposit…), or give it back another way and record it (Money given back…)."
        )
        return MoneyDue(b, Due.SENT_BACK, back, what)
    if (
        action is not None
        and action.status is RequestStatus.FAILED
        and action.kind in (ActionKind.CLAIM, ActionKind.REFUND)
        and _still_open(action, entries, claimable)
    ):
        kind = action.kind.value
        what = f"The {kind} of {format_pence(action.amount_pence)} failed"
        what += f": {action.problem}" if action.problem else "."
        return MoneyDue(b, Due.FAILED, action.amount_pence, what)
    if claimable and claim_in_time(b, now):
        return _claim(venue, b, link)
    if back:
        online = refundable_pence(entries)
        words = give_back_words(back, online)
        return MoneyDue(b, Due.GIVE_BACK, back, f"Holds {words}.")
    return None


def claim_in_time(b: Booking, now: datetime) -> bool:
    """Whether ``b`` is one whose deposit a manager may still want to claim at ``now``: a
    no-show or cancellation with a card to claim on, its night at most ``CLAIM_WITHIN`` ago
    (whether the claim is allowed is the claim's one meaning's to say)."""
    return (
        b.deposit_state in CLAIMABLE
        and b.status in (BookingStatus.NO_SHOW, BookingStatus.CANCELLED)
        and now - b.start <= CLAIM_WITHIN
    )


def _still_open(failed: DepositLink, entries: Iterable[LedgerEntry], claimable: bool) -> bool:
    """A failed claim matters while a claim could still be made; a failed refund until
    money goes back after it (a refund made again, or money given back another way)."""
    if failed.kind is ActionKind.CLAIM:
        return claimable
    since = failed.requested_at
    return not any(
        e.counted
        and e.kind in (LedgerKind.REFUND, LedgerKind.GIVEN_BACK)
        and (since is None or e.recorded_at >= since)
        for e in entries
    )


def _claim(venue: Venue, b: Booking, link: DepositLink | None) -> MoneyDue:
    who = "No-show" if b.status is BookingStatus.NO_SHOW else "Cancelled late"
    card = card_words(link.card_last4 if link is not None else None)
    amount = format_pence(b.deposit_pence)
    if b.deposit_state is DepositState.HELD:
        by = link.capture_before if link is not None else None
        when = f" before {venue.show_day_time(by)}" if by is not None else ""
        what = (
            f"{who}: {amount} held on {card}. Claim it (Claim deposit…){when}, "
            "or the hold lapses and the guest is not charged."
        )
        return MoneyDue(b, Due.CLAIM, b.deposit_pence, what, by)
    what = f"{who}: {card} is saved for {amount}. Charge it (Claim deposit…), or leave it."
    return MoneyDue(b, Due.CLAIM, b.deposit_pence, what)


def most_pressing_first(lines: Iterable[MoneyDue]) -> list[MoneyDue]:
    """A hold's day soonest first, then by what is due, then the latest night first."""
    return sorted(
        lines,
        key=lambda m: (
            m.by.timestamp() if m.by is not None else float("inf"),
            ORDER[m.due],
            -m.booking.start.timestamp(),
        ),
    )
