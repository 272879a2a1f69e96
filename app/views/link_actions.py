"""The bookings list's payment-link actions: send a link for what a booking owes, and
copy a link the server made (pulled to this desk) for staff to pass on to the guest."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from app.domain.booking import Booking
from app.domain.deposit_links import RequestStatus, check_request
from app.domain.errors import DomainError
from app.domain.venue import Venue
from app.services.deposit_links import copyable, open_until
from app.services.queries import BookingView


def may_send(booking: Booking | None) -> bool:
    """Whether a link may be asked for: the kernel's own rule, so the button agrees with it."""
    if booking is None:
        return False
    try:
        check_request(booking)
    except DomainError:
        return False
    return True


def may_copy(view: BookingView | None) -> bool:
    link = view.link if view is not None else None
    return link is not None and link.status is RequestStatus.OPEN and bool(link.url)


def copy_link(view: BookingView, venue: Venue) -> str:
    """Put the booking's open link on the clipboard; the words staff are shown."""
    url = copyable(view.link)
    assert view.link is not None
    QGuiApplication.clipboard().setText(url)
    return f"Copied {view.customer.name}'s payment link ({open_until(venue, view.link)})."
