"""Deposits asked for by a payment link (Stripe Checkout): what may be asked, and its states.

A link is asked for with an intent (``request_deposit``) that works offline; the
server makes the link once it has judged the intent, outside the venue's critical
section, and the link's deadline counts from then (docs/payments.md, "Deposit now").
Stripe's Checkout Sessions expire between 30 minutes and 24 hours after creation
(https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at),
so the venue's link lifetime is held to that range (app.domain.deposits.check_link_minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from app.domain.booking import FINISHED, Booking, BookingStatus, DepositState
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_modes import HOLD_LASTS, DepositMode
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.references import format_reference


class RequestStatus(StrEnum):
    """Where a payment link stands. ``requested``: judged, the link not made yet."""

    REQUESTED = "requested"
    OPEN = "open"
    PAID = "paid"
    # The guest completed a hold link (authorised) or a save-card link.
    HELD = "held"
    CARD_SAVED = "card_saved"
    EXPIRED = "expired"
    FAILED = "failed"
    # A claim or refund Stripe carried out.
    DONE = "done"


# A request in one of these is done: the reconciliation stops asking Stripe about it.
FINAL = frozenset(
    {
        RequestStatus.PAID,
        RequestStatus.HELD,
        RequestStatus.CARD_SAVED,
        RequestStatus.EXPIRED,
        RequestStatus.FAILED,
        RequestStatus.DONE,
    }
)


@dataclass(frozen=True, slots=True)
class DepositLink:
    """A booking's payment link as the desk shows it (pulled from the server)."""

    booking_id: str
    amount_pence: int
    status: RequestStatus
    url: str | None
    expires_at: datetime | None
    problem: str | None
    mode: DepositMode = DepositMode.PAYMENT
    card_last4: str | None = None
    capture_before: datetime | None = None
    # A link, or a manager's claim or refund (the same record: what was asked of Stripe).
    kind: ActionKind = ActionKind.LINK
    reason: str | None = None
    # When the link's expiry cancelled the booking (app.domain.kernel.deposit_expiry).
    released_at: datetime | None = None
    # When it was asked for (None where this side does not say).
    requested_at: datetime | None = None


def hold_lapsed(link: DepositLink | None, at: datetime) -> bool:
    """Whether ``link``'s card hold is past the day the bank lets it go (its
    ``capture_before``): nothing can be claimed on it, whatever the deposit still reads
    until the server has recorded the lapse (server.payments.lapsed)."""
    return (
        link is not None
        and link.status is RequestStatus.HELD
        and link.capture_before is not None
        and link.capture_before <= at
    )


def check_hold_live(b: Booking, link: DepositLink | None, at: datetime) -> None:
    """A claim on a hold asks the bank for money it still holds: refused once it lapsed."""
    if hold_lapsed(link, at):
        raise DomainError(
            f"Booking {format_reference(b.reference)}'s card hold has lapsed at the bank (a "
            f"hold lasts {HOLD_LASTS.days} days), so nothing can be claimed on it."
        )


def waits_on_a_link(state: DepositState | str) -> bool:
    """Whether a booking's deposit still waits on its payment link: only while it is
    requested. Paid at the bar, waived, released or cancelled, no link is wanted: one
    not made yet is not made, one open is closed (server.payments.links, .reconcile)."""
    return DepositState(state) is DepositState.REQUESTED


def check_request(b: Booking) -> None:
    """A payment link may be asked for ``b``'s deposit; else why not."""
    ref = format_reference(b.reference)
    if b.status is BookingStatus.WAITLISTED:
        raise DomainError(
            f"Booking {ref} is on the waitlist; its deposit is asked for once it has a table."
        )
    if b.status in FINISHED:
        raise DomainError(
            f"Booking {ref} is {b.status.value.replace('_', '-')}; no deposit is asked of it."
        )
    match b.deposit_state:
        case DepositState.REQUIRED:
            return
        case DepositState.REQUESTED:
            raise DomainError(f"A payment link for booking {ref}'s deposit is already out.")
        case DepositState.NOT_REQUIRED:
            raise DomainError(f"Booking {ref} owes no deposit.")
        case DepositState.PAID:
            raise DomainError(f"The deposit on booking {ref} is already paid.")
        case _:
            raise DomainError(
                f"The deposit on booking {ref} is {b.deposit_state.value.replace('_', ' ')}; "
                "no link can be sent for it."
            )


def check_resend(b: Booking, link: DepositLink | None, at: datetime) -> None:
    """The guest may be sent ``b``'s payment link ``link`` (its latest) again: only while
    it can still be paid; else why not, in words staff can act on."""
    ref = format_reference(b.reference)
    if b.status in FINISHED:
        raise DomainError(
            f"Booking {ref} is {b.status.value.replace('_', '-')}; no link is sent for it."
        )
    if link is None or link.kind is not ActionKind.LINK:
        raise DomainError(f"No payment link was sent for booking {ref}; send one first.")
    match link.status:
        case RequestStatus.PAID | RequestStatus.HELD | RequestStatus.CARD_SAVED:
            raise DomainError(f"The deposit on booking {ref} is already paid; nothing to resend.")
        case RequestStatus.EXPIRED:
            raise DomainError(
                f"The payment link for booking {ref} has expired; send a new one instead."
            )
        case RequestStatus.FAILED:
            raise DomainError(
                f"The payment link for booking {ref} could not be made; send a new one instead."
            )
        case RequestStatus.REQUESTED:
            raise DomainError(
                f"The payment link for booking {ref} is still being made; the guest is sent "
                "it as soon as it is."
            )
    if link.status is not RequestStatus.OPEN or not link.url:
        raise DomainError(f"The payment link for booking {ref} is {link.status.value}.")
    if link.expires_at is not None and link.expires_at <= at:
        raise DomainError(
            f"The payment link for booking {ref} has expired; send a new one instead."
        )


def link_words(
    amount_pence: int, status: RequestStatus, expires_at: datetime | None, local: str = ""
) -> str:
    """How the desk names a link: "£80.00 link open until Sat 21:30", "£80.00 link being made"."""
    amount = format_pence(amount_pence)
    match status:
        case RequestStatus.REQUESTED:
            return f"{amount} link being made (sent when the server has it)"
        case RequestStatus.OPEN:
            return f"{amount} link open until {local}" if local else f"{amount} link open"
        case RequestStatus.PAID:
            return f"{amount} paid online"
        case RequestStatus.HELD:
            return f"{amount} held on the guest's card"
        case RequestStatus.CARD_SAVED:
            return f"card saved for {amount}"
        case RequestStatus.DONE:
            return f"{amount} done"
        case RequestStatus.EXPIRED:
            return f"{amount} link expired unpaid"
        case RequestStatus.FAILED:
            return f"{amount} link could not be made"
