"""Payments found at Stripe after a restore whose booking nobody has entered again.

The reconciliation takes a found payment back as soon as its booking is on the server
(server.payments.found). One whose booking staff never enter again would otherwise stay
unseen: the guest paid, the server has no booking to show it on. ``backroom-server
payments found`` lists each with what Stripe says of it now, so a manager can enter the
booking again from a desk's kept copy or refund the guest (docs/payments.md, "After a
restore"); the reconciliation's own report counts them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposits import format_pence
from server.payments.gateway import Checkout, GatewayError, SessionState
from server.payments.links import Payments
from server.payments.models import FoundCheckout, FoundMove
from server.sync.models import Booking
from server.venues.models import Venue


@dataclass(frozen=True, slots=True)
class Waiting:
    """One found session whose booking is not on the server, as Stripe has it now."""

    session_id: str
    venue: str
    booking_id: uuid.UUID
    found_at: datetime
    checkout: Checkout | None  # None: Stripe was not reached
    trouble: str | None = None

    @property
    def words(self) -> str:
        found = f"Stripe {self.session_id}, found {self.found_at:%d %b %Y %H:%M} UTC"
        head = f"Booking {self.booking_id} at {self.venue}"
        if self.checkout is None:
            return f"{head}: Stripe not reached ({self.trouble}); {found}."
        what, otherwise = _what(self.checkout)
        if self.checkout.state is SessionState.EXPIRED:
            return f"{head}: {what}; {found}. Nothing to do."
        return (
            f"{head}: {what}; {found}. Not on this server: enter it again from a desk "
            f"(Desk → Bookings the server lost…) and it is taken back onto the booking, "
            f"or {otherwise} in Stripe's Dashboard."
        )


def _what(c: Checkout) -> tuple[str, str]:
    """What the guest did, and what a manager does at Stripe if the booking is gone."""
    amount = format_pence(c.amount_pence)
    return {
        SessionState.PAID: (f"{amount} paid through its link", "refund the guest"),
        SessionState.HELD: (f"{amount} held on the guest's card", "cancel the hold"),
        SessionState.CARD_SAVED: (
            f"a card saved for its {amount} deposit (nothing taken)",
            "leave it",
        ),
        SessionState.OPEN: (
            f"its {amount} link is still open, not paid yet",
            "expire the link so nobody pays for a booking the venue does not have",
        ),
        SessionState.EXPIRED: (f"its {amount} link expired unpaid: no money moved", ""),
    }[c.state]


def _query() -> Select[tuple[str, str, uuid.UUID, datetime]]:
    here = exists().where(Booking.id == FoundCheckout.booking_id)
    return (
        select(
            FoundCheckout.session_id, Venue.name, FoundCheckout.booking_id, FoundCheckout.found_at
        )
        .join(Venue, Venue.id == FoundCheckout.venue_id)
        .where(FoundCheckout.settled_at.is_(None), ~here)
        .order_by(FoundCheckout.found_at, FoundCheckout.session_id)
    )


def count(session: Session) -> int:
    """How many found sessions wait for their booking, and found claims and refunds for
    theirs or for the payment they acted on (Stripe is not asked)."""
    links = session.scalar(select(func.count()).select_from(_query().subquery())) or 0
    return links + len(moves_waiting(session))


_DONE = {"claim": "claimed", "refund": "refunded", "release": "released (a hold let go)"}


def moves_waiting(session: Session) -> list[str]:
    """Each claim, refund or release found at Stripe and not yet taken back, and why."""
    here = exists().where(Booking.id == FoundMove.booking_id)
    rows = session.execute(
        select(FoundMove, Venue.name, here)
        .join(Venue, Venue.id == FoundMove.venue_id)
        .where(FoundMove.settled_at.is_(None))
        .order_by(FoundMove.found_at, FoundMove.ref)
    ).all()
    words = []
    for move, venue, booking_here in rows:
        what = f"{format_pence(move.amount_pence)} {_DONE.get(move.kind, move.kind)} at Stripe"
        head = f"Booking {move.booking_id} at {venue}: {what}"
        found = f"Stripe {move.ref}, found {move.found_at:%d %b %Y %H:%M} UTC"
        why = (
            "the payment it gave back is not on this server yet: it is taken back once the "
            "booking's link is (`backroom-server payments reconcile`)"
            if booking_here
            else "not on this server: enter it again from a desk (Desk → Bookings the server "
            "lost…) and it is taken back onto the booking"
        )
        words.append(f"{head}; {found}. Waits: {why}.")
    return words


def still_waiting(sessions: sessionmaker[Session], payments: Payments) -> list[Waiting]:
    """Every found session whose booking is not on the server, each as Stripe has it now."""
    with sessions() as session:
        rows = session.execute(_query()).all()
    found = []
    for session_id, venue, booking_id, found_at in rows:
        try:
            checkout, trouble = payments.gateway.retrieve_checkout(session_id), None
        except GatewayError as problem:
            checkout, trouble = None, str(problem)
        found.append(Waiting(session_id, venue, booking_id, found_at, checkout, trouble))
    return found
