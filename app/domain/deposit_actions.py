"""A manager's online actions on a deposit taken through Stripe: claim it for a no-show,
refund it (in full or in part). What may be asked, and the words for each.

Both are judged on the server (manager or admin only) and carried out there, after
the intent's commit, with the intent's mutation id as Stripe's idempotency key; the
booking changes only when Stripe has done it (docs/payments.md, "Refunds and claims").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_ledger import CURRENCY, TAKEN, LedgerEntry, LedgerKind, refunded_pence
from app.domain.deposits import (
    DepositPolicy,
    cancelled_in_free_window,
    cancelled_late,
    format_pence,
)
from app.domain.errors import DomainError, InvalidInput
from app.domain.references import format_reference


class ActionKind(StrEnum):
    """What a deposit request asks of the provider: a link for the guest, or a manager's
    claim or refund."""

    LINK = "link"
    CLAIM = "claim"
    REFUND = "refund"
    # A hold let go at the bank, when a booking is cancelled in the free window.
    RELEASE = "release"


CLAIMABLE = frozenset({DepositState.HELD, DepositState.CARD_SAVED})
REFUNDABLE = frozenset({DepositState.PAID, DepositState.CLAIMED, DepositState.REFUNDED})


def _amount(amount_pence: int, currency: str, what: str) -> None:
    if currency != CURRENCY:
        raise InvalidInput(
            "currency", f"Deposits are in pounds sterling (GBP), not {currency or 'none'}."
        )
    if amount_pence <= 0:
        raise InvalidInput("amount", f"A {what} must be more than £0.00.")


def check_claim(b: Booking, amount_pence: int, currency: str, policy: DepositPolicy) -> None:
    """A no-show's hold may be captured (or saved card charged) for ``amount_pence``, and
    so may a late cancellation's (cancelled after the policy's free window: a cancelled
    booking changes no more, so its last change is when it was cancelled); else why not.
    The claim is capped at the deposit the booking was asked for."""
    _amount(amount_pence, currency, "claim")
    ref = format_reference(b.reference)
    late = cancelled_late(policy, b, b.updated_at)
    if b.status is not BookingStatus.NO_SHOW and not late:
        why = (
            "it was cancelled in good time"
            if b.status is BookingStatus.CANCELLED
            else f"it is {b.status.value.replace('_', '-')}"
        )
        raise DomainError(
            f"Booking {ref}'s deposit cannot be claimed: {why}; only a no-show's or a "
            "late cancellation's can."
        )
    if b.deposit_state not in CLAIMABLE:
        raise DomainError(
            f"Booking {ref} has no card hold or saved card to claim on "
            f"(its deposit is {b.deposit_state.value.replace('_', ' ')})."
        )
    if amount_pence > b.deposit_pence:
        raise InvalidInput(
            "amount",
            f"{format_pence(amount_pence)} is more than the {format_pence(b.deposit_pence)} "
            f"deposit booking {ref} was asked for; a claim is capped at the deposit.",
        )


def refundable_pence(entries: Iterable[LedgerEntry]) -> int:
    """What of a booking's deposit can still be given back through Stripe: what Stripe
    took (paid online, or captured on a claim) less what was refunded already."""
    entries = list(entries)
    taken = sum(
        e.amount_pence
        for e in entries
        if e.counted and e.kind in TAKEN and e.kind is not LedgerKind.PAYMENT_IN_PERSON
    )
    # Money given back at the bar came out of what Stripe took too, as far as it can
    # (a guest who paid twice and was given one back at the bar is owed nothing more).
    return max(0, taken - refunded_pence(entries))


def check_refund(b: Booking, amount_pence: int, currency: str, refundable: int) -> None:
    """``amount_pence`` of ``b``'s deposit may be refunded, ``refundable`` being what
    Stripe took and has not given back; else why not. Money Stripe took is refundable
    whatever the deposit reads: a guest who paid the link after the booking was cancelled
    or the deposit waived or paid at the bar holds money the booking could not take (the
    server kept it and said a manager should refund it, docs/payments.md)."""
    _amount(amount_pence, currency, "refund")
    ref = format_reference(b.reference)
    if refundable <= 0 and b.deposit_state not in REFUNDABLE:
        raise DomainError(
            f"The deposit on booking {ref} is {b.deposit_state.value.replace('_', ' ')}; "
            "there is no payment to refund."
        )
    if refundable <= 0:
        raise DomainError(
            f"Nothing of booking {ref}'s deposit was taken online that is not refunded "
            "already; money paid at the bar is given back at the bar."
        )
    if amount_pence > refundable:
        raise InvalidInput(
            "amount",
            f"{format_pence(amount_pence)} is more than the {format_pence(refundable)} "
            f"that can be refunded on booking {ref}.",
        )


def check_held(b: Booking, held: int) -> None:
    """Some of ``b``'s deposit money can be given back outside Stripe, ``held`` being what
    of it the venue holds; else why not."""
    if held <= 0:
        raise DomainError(
            f"The venue holds none of booking {format_reference(b.reference)}'s deposit "
            "money, so none can be given back."
        )


def check_give_back(b: Booking, amount_pence: int, currency: str, held: int) -> None:
    """A manager may record ``amount_pence`` of ``b``'s deposit given back outside Stripe,
    ``held`` being what of the booking's money the venue holds; else why not."""
    _amount(amount_pence, currency, "sum given back")
    ref = format_reference(b.reference)
    check_held(b, held)
    if amount_pence > held:
        raise InvalidInput(
            "amount",
            f"{format_pence(amount_pence)} is more than the {format_pence(held)} of booking "
            f"{ref}'s deposit the venue holds.",
        )


def on_cancel(
    policy: DepositPolicy, b: Booking, at: datetime, refundable: int
) -> tuple[ActionKind, int] | None:
    """What the venue's policy gives back when ``b`` (as it was) is cancelled at ``at``:
    inside the free-cancellation window a hold is released and money taken online is
    refunded in full; after it the venue keeps the deposit (a manager may still refund,
    or claim a hold). A saved card is simply never charged; cash is given back at the bar."""
    if not cancelled_in_free_window(policy, b.start, at):
        return None
    if b.deposit_state is DepositState.HELD:
        return ActionKind.RELEASE, b.deposit_pence
    if b.deposit_state is DepositState.PAID and refundable > 0:
        return ActionKind.REFUND, refundable
    return None


FREE_CANCEL_REASON = "Cancelled inside the free-cancellation window (the venue's policy)"


def card_words(last4: str | None) -> str:
    return f"the card ending {last4}" if last4 else "the guest's card"


def claim_question(amount_pence: int, ref: str, last4: str | None, hold: bool) -> str:
    """What a manager confirms before a claim: the amount and the card."""
    how = "Capture" if hold else "Charge"
    where = f"the hold on {card_words(last4)}" if hold else card_words(last4)
    return (
        f"{how} {format_pence(amount_pence)} from {where} for booking {ref}? "
        "The guest is charged; only a refund gives it back."
    )


def refund_question(amount_pence: int, ref: str, last4: str | None) -> str:
    """What a manager confirms before a refund: the amount and where it goes."""
    to = card_words(last4) if last4 else "the card the guest paid with"
    return (
        f"Refund {format_pence(amount_pence)} of booking {ref}'s deposit to {to}? "
        "A refund cannot be taken back."
    )
