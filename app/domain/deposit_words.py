"""A booking's deposit in words: a few for the bookings list, the whole of it for its detail.

One home for how the desk names where a deposit stands, so the list column, the
booking's tooltip and the edit dialog never disagree. The detail reads the booking's
state with its latest link (card ending, capture deadline), its latest claim or refund
(and why one failed), and its ledger (how much was taken and given back).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.domain.booking import Booking, DepositState
from app.domain.deposit_actions import refundable_pence
from app.domain.deposit_ledger import (
    TAKEN,
    LedgerEntry,
    LedgerKind,
    PaymentMethod,
    refunded_pence,
)
from app.domain.deposit_links import DepositLink, RequestStatus, hold_lapsed, link_words
from app.domain.deposits import format_pence
from app.domain.review_money import KEEPS_WHAT_IT_OWED, money_by_booking, to_give_back
from app.domain.venue import Venue


def _sum(entries: Iterable[LedgerEntry], kinds: frozenset[LedgerKind]) -> int:
    return sum(e.amount_pence for e in entries if e.counted and e.kind in kinds)


def refunded_words(b: Booking, entries: Iterable[LedgerEntry]) -> str:
    """ "£80.00 refunded" when all that was taken went back, else "£30.00 of £80.00 refunded"."""
    entries = list(entries)
    back = refunded_pence(entries)
    taken = _sum(entries, TAKEN)
    if not back or back >= taken:
        return f"{format_pence(back or b.deposit_pence)} refunded"
    return f"{format_pence(back)} of {format_pence(taken)} refunded"


def owed_back(b: Booking, entries: Iterable[LedgerEntry]) -> int:
    """What ``b`` holds beyond what it may keep (its ledger ``entries``): the night
    review's rule (app.domain.review_money.to_give_back), for one booking."""
    money = money_by_booking(entries).get(b.id)
    return to_give_back(b, money) if money is not None else 0


def give_back_words(back: int, online: int) -> str:
    """How much to give back, and how: through Stripe what it took (Refund deposit…),
    the rest at the bar (recorded with Money given back…)."""
    more = f"{format_pence(back)} more than it may keep"
    if online >= back:
        return f"{more}: refund it (Refund deposit…)"
    if online > 0:
        return (
            f"{more}: refund {format_pence(online)} (Refund deposit…), the rest at the bar "
            "(Money given back…)"
        )
    return f"{more}: give it back at the bar (Money given back…)"


def deposit_words(
    b: Booking,
    method: PaymentMethod | None = None,
    entries: Iterable[LedgerEntry] = (),
    link: DepositLink | None = None,
    now: datetime | None = None,
) -> str:
    """The deposit column of the bookings list: "£80.00 owed", "£80.00 paid (cash)",
    "waived" — and money it holds beyond what it may keep, so staff see it that night:
    "£60.00 paid (cash); £60.00 to give back", or "£80.00 to give back" for a booking
    that took none of it (a link paid after it was cancelled). A card hold past its day
    at ``now`` (its latest ``link``) reads lapsed before the server has recorded it."""
    entries = list(entries)
    words = _state_words(b, method, entries)
    if b.deposit_state is DepositState.HELD and now is not None and hold_lapsed(link, now):
        words = f"{format_pence(b.deposit_pence)} hold lapsed"
    back = owed_back(b, entries)
    if not back:
        return words
    if b.deposit_state in KEEPS_WHAT_IT_OWED or b.deposit_state is DepositState.REFUND_FAILED:
        return f"{words}; {format_pence(back)} to give back"
    return f"{format_pence(back)} to give back"


def _state_words(b: Booking, method: PaymentMethod | None, entries: list[LedgerEntry]) -> str:
    amount = format_pence(b.deposit_pence)
    match b.deposit_state:
        case DepositState.NOT_REQUIRED:
            return ""
        case DepositState.REQUIRED:
            return f"{amount} owed"
        case DepositState.REQUESTED:
            return f"{amount} owed (link sent)"
        case DepositState.PAID:
            return f"{amount} paid ({method.words})" if method else f"{amount} paid"
        case DepositState.HELD:
            return f"{amount} held on card"
        case DepositState.CARD_SAVED:
            return f"card saved for {amount}"
        case DepositState.CLAIMED:
            return f"{amount} claimed"
        case DepositState.RELEASED:
            return "hold released"
        case DepositState.WAIVED:
            return "waived"
        case DepositState.REFUNDED:
            return refunded_words(b, entries)
        case DepositState.REFUND_FAILED:
            return "refund failed"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _card(link: DepositLink | None) -> str:
    last4 = link.card_last4 if link else None
    return f"the card ending {last4}" if last4 else "the guest's card"


def deposit_detail(
    venue: Venue,
    b: Booking,
    link: DepositLink | None = None,
    action: DepositLink | None = None,
    entries: Iterable[LedgerEntry] = (),
    now: datetime | None = None,
) -> str:
    """Where ``b``'s deposit stands, whole, in one or two sentences: the booking's detail.

    ``link`` is its latest payment link, ``action`` its latest claim or refund, ``entries``
    its ledger; each may be missing on a desk that has not pulled them yet. ``now``: when
    the desk read them (a hold past its day reads lapsed before the server records it).
    """
    entries = list(entries)
    amount = format_pence(b.deposit_pence)

    def when(at: datetime) -> str:
        return venue.show_day_time(at)

    match b.deposit_state:
        case DepositState.NOT_REQUIRED:
            words = "No deposit needed."
        case DepositState.REQUIRED:
            words = f"{amount} owed: no payment link sent yet; take it at the bar or send a link."
        case DepositState.REQUESTED:
            if link is None:
                words = f"{amount} owed: a payment link is asked for."
            else:
                until = when(link.expires_at) if link.expires_at else ""
                words = f"{amount} owed: " + link_words(
                    link.amount_pence, link.status, link.expires_at, until
                )
                words += "." if link.problem is None else ". " + _sentence(link.problem)
        case DepositState.PAID:
            method = next((e.method for e in reversed(entries) if e.method is not None), None)
            words = (
                f"{amount} paid at the bar ({method.words})."
                if method is not None
                else f"{amount} paid online."
            )
        case DepositState.HELD:
            words = f"{amount} held on {_card(link)}"
            if link is not None and link.capture_before is not None:
                lapsed = now is not None and hold_lapsed(link, now)
                words += (
                    f" until {when(link.capture_before)}: the hold has lapsed at the bank, "
                    "so nothing can be claimed on it"
                    if lapsed
                    else f"; claim it before {when(link.capture_before)} or the hold lapses"
                )
            words += "."
        case DepositState.CARD_SAVED:
            words = (
                f"{_card(link).capitalize()} is saved: up to {amount} may be charged "
                "for a no-show or a late cancellation."
            )
        case DepositState.CLAIMED:
            claimed = _sum(entries, frozenset({LedgerKind.CAPTURE})) or b.deposit_pence
            words = f"{format_pence(claimed)} claimed from {_card(link)}."
        case DepositState.RELEASED:
            words = f"The {amount} hold was released: the guest was not charged."
        case DepositState.WAIVED:
            waiver = next((e for e in reversed(entries) if e.kind is LedgerKind.WAIVER), None)
            words = "Waived" + (
                f" by {waiver.staff_name}: {waiver.note}." if waiver and waiver.note else "."
            )
        case DepositState.REFUNDED:
            words = refunded_words(b, entries)
            back, taken = (
                refunded_pence(entries),
                _sum(entries, TAKEN),
            )
            words += (
                f" (part); {format_pence(taken - back)} kept." if 0 < back < taken else " in full."
            )
        case DepositState.REFUND_FAILED:
            problem = action.problem if action is not None and action.problem else None
            words = _sentence(f"The refund failed{': ' + problem if problem else ''}")
    back = owed_back(b, entries)
    # The server's words for a refund sent back say already how to give it back.
    told = b.deposit_state is DepositState.REFUND_FAILED and action is not None and action.problem
    if back and not told:
        words += " " + _sentence(give_back_words(back, refundable_pence(entries)))
    if (
        action is not None
        and action.status is RequestStatus.FAILED
        and b.deposit_state is not DepositState.REFUND_FAILED
    ):
        failed = f"The last {action.kind.value} failed"
        words += " " + _sentence(f"{failed}: {action.problem}" if action.problem else failed)
    return words
