"""Send a payment link for a booking's deposit (``request_deposit``), online or not.

The desk only journals the intent: the server judges it, makes the link (Stripe
Checkout) after its commit and the desk pulls it (docs/payments.md, "Deposit now").
What may be asked is the one meaning's (app.domain.kernel.requested), so the desk
refuses here exactly what the server would, and writes nothing when it does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.domain.deposit_links import DepositLink, RequestStatus
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.venue import Venue
from app.models.uow import Store
from app.protocol import IntentName
from app.protocol.deposit_args import RequestDepositArgs, ResendDepositLinkArgs
from app.services.common import (
    BookingResult,
    Clock,
    journal_one,
    wire,
)

OFFLINE_WORDS = "The link is made when this desk is back online."
ONLINE_WORDS = "The link shows here as soon as the server has made it."


class DepositLinks:
    def __init__(self, store: Store, clock: Clock, online: Callable[[], bool]) -> None:
        self.store = store
        self.clock = clock
        # Whether this desk reaches its server now: only the words depend on it.
        self.online = online

    def request_link(self, staff: Staff, booking_id: str) -> BookingResult:
        """Ask the server for a payment link for what ``booking_id`` owes (queued offline)."""
        args = wire(RequestDepositArgs)
        after, customer, _ = journal_one(
            self.store, self.clock(), staff, booking_id, IntentName.REQUEST_DEPOSIT, args
        )
        when = ONLINE_WORDS if self.online() else OFFLINE_WORDS
        message = (
            f"Asked for a {format_pence(after.deposit_pence)} payment link for "
            f"{customer.name}'s deposit (booking {format_reference(after.reference)}). {when}"
        )
        return BookingResult(after, customer, message)

    def resend_link(self, staff: Staff, booking_id: str) -> BookingResult:
        """Ask the server to send the guest the booking's live link again (a manager's
        call; refused, with the reason, when the link is not live on this desk's copy)."""
        args = wire(ResendDepositLinkArgs)
        after, customer, _ = journal_one(
            self.store, self.clock(), staff, booking_id, IntentName.RESEND_DEPOSIT_LINK, args
        )
        when = (
            "The server sends it now."
            if self.online()
            else "It is sent when this desk is back online."
        )
        message = (
            f"Asked for {customer.name}'s payment link (booking "
            f"{format_reference(after.reference)}) to be sent again by email and text. {when}"
        )
        return BookingResult(after, customer, message)


def deadline(venue: Venue, expires_at: datetime) -> str:
    """A link's deadline in the venue's time: "Sat 5 Dec, 21:30"."""
    at = venue.local(expires_at)
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M}"


def open_until(venue: Venue, link: DepositLink) -> str:
    """ "open until Sat 5 Dec, 21:30" (or just "open" before the deadline is known)."""
    return f"open until {deadline(venue, link.expires_at)}" if link.expires_at else "open"


def copyable(link: DepositLink | None) -> str:
    """The link's address, if it is one a guest can still pay; else why not."""
    if link is None:
        raise DomainError("No payment link has been asked for this booking.")
    if link.status is RequestStatus.REQUESTED:
        raise DomainError("The payment link has not reached this desk yet.")
    if link.status is not RequestStatus.OPEN or not link.url:
        raise DomainError(f"The payment link is {link.status.value}; there is nothing to copy.")
    return link.url
