"""A desk's waitlist offer, told to the guest: the text and email that the table is theirs
if they answer "1" before the offer ends.

Offers are run by the desk where the table came free (docs/waitlist.md); while one is
open the desk keeps a server hold on its tables (app/services/offer_holds.py). A hold
that says ``offer_until`` is such an offer, and taking it queues the message here, in
the hold's transaction. The cause names the offer (booking, tables, time), not the
hold: a desk that loses its hold and takes it again tells the guest once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.booking import BookingStatus
from app.domain.messages.facts import Facts
from app.domain.messages.wording import TemplateName
from server.holds.models import Hold
from server.messages.outbox import enqueue
from server.messages.wording import venue_templates
from server.sync.models import Booking, Customer
from server.venues.service import venue_rules


def cause(hold: Hold) -> str:
    tables = "+".join(sorted(str(t) for t in hold.table_ids))
    return f"offer:{hold.booking_id}:{tables}:{hold.start.isoformat()}"


def tell_guest(session: Session, hold: Hold, now: datetime) -> list[uuid.UUID]:
    """Queue the offer's message to the guest, if ``hold`` is an open offer to a booking
    the server has on its waitlist and the guest gave an email or phone.

    Called when the hold is taken and each time it is renewed: the desk may take the hold
    before its booking reaches the server (the hold matters more than the text, so it is
    granted anyway), and the message then goes with the first renewal after it arrives.
    The cause makes every call after the first queue nothing.
    """
    if hold.offer_until is None or hold.booking_id is None or hold.offer_until <= now:
        return []
    booking = session.get(Booking, hold.booking_id)
    if (
        booking is None
        or booking.venue_id != hold.venue_id
        or booking.status != BookingStatus.WAITLISTED.value
    ):
        return []
    rules = venue_rules(session, hold.venue_id)
    customer = session.get(Customer, booking.customer_id)
    if rules is None or customer is None:
        return []
    facts = Facts(
        venue=rules.venue,
        guest_name=customer.name,
        reference=booking.reference,
        start=hold.start,
        party_size=booking.party_size,
        deadline=hold.offer_until,
    )
    return enqueue(
        session,
        venue_id=hold.venue_id,
        booking_id=booking.id,
        cause=cause(hold),
        rendered=venue_templates(session, rules).render(TemplateName.OFFER_MADE, facts),
        email=customer.email,
        phone=customer.phone or None,
        due_at=now,
    )
