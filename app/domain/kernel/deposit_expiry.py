"""An unpaid deposit past its deadline releases the booking's tables.

Other booking systems cancel a pending booking whose payment link expires; so does
this one. The booking is never deleted: it is cancelled through the status machine
(``kernel.cancel``), by the server (app.domain.audit.SERVER), with the reason in
words staff can read back to the guest. The server applies this when Stripe says
the link expired (``checkout.session.expired``) and when its reconciliation finds
the deadline passed with no word from Stripe (server/payments/expiry.py).

Nothing is released that the guest or staff settled meanwhile: a deposit paid at
the bar or online, or waived, confirmed the booking; a seated party is here; and a
link that was replaced by a newer one is not the booking's deadline any more.

A venue may give guests a grace period after the link's deadline
(``DepositPolicy.expiry_grace_minutes``, default 0): the deposit is owed again at
once (a new link may be sent), and the tables are released only when the grace
period is over with the deposit still owed and no newer link out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.kernel.bookings import cancel
from app.domain.rules import VenueRules
from app.domain.venue import Venue

# Owed through the link that expired (``requested``), or owed again once it lapsed.
OWED = frozenset({DepositState.REQUIRED, DepositState.REQUESTED})


def release_at(rules: VenueRules, expires_at: datetime) -> datetime:
    """When an unpaid link's booking gives up its tables: the deadline plus the grace."""
    return expires_at + timedelta(minutes=rules.deposits.expiry_grace_minutes)


def expiry_reason(venue: Venue, expires_at: datetime) -> str:
    """ "Deposit not paid: the payment link expired at 21:30 (Europe/London)." """
    return (
        f"Deposit not paid: the payment link expired at {venue.show_time(expires_at)} "
        f"({venue.timezone})."
    )


def released(
    rules: VenueRules, b: Booking, *, expires_at: datetime, latest: bool, at: datetime
) -> Booking:
    """``b`` as its expired unpaid link leaves it at ``at``: cancelled, holding no table,
    when it is still pending for that link's deposit and the grace period is over;
    otherwise unchanged (paid, waived, confirmed, seated, finished, its time over, or
    ``latest`` is False because a newer link replaced this one).
    """
    if not latest or b.status is not BookingStatus.PENDING or b.deposit_state not in OWED:
        return b
    if at < release_at(rules, expires_at) or b.end <= at:
        return b  # not yet; or its time is over, and there is nothing left to give back
    return cancel(rules, b, at=at)
