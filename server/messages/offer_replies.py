"""A guest's "1" to a waitlist offer: the server seats them on the offered tables itself.

The offer is the desk's (app/services/waitlist_offers.py); what the server knows of it
is the desk's hold on its tables, which names the booking and ``offer_until``
(server/messages/offers.py). While that hold lives and the offer is open, a "1" puts
the party on those tables at the hold's time with the domain's own promotion
(``kernel.promoted``), under the tables' locks and the exclusion constraint, audited
as the server (app.domain.audit.SERVER), and stamped with the venue's next version so
every desk pulls it; the desk that made the offer then sees its guest seated on the
offered table and closes the offer. Anything else — the offer over, the desk's hold
lapsed (that desk went offline: the table is no longer kept), the table taken
meanwhile — changes nothing, and the reply is kept for staff with the reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import kernel
from app.domain.booking import BookingStatus, booking_snapshot
from app.domain.errors import DomainError
from app.domain.messages.causes import Event
from server import audit_log
from server.holds.models import Hold
from server.messages.tell import tell_now
from server.payments.settle import stamp
from server.sync import placement, store
from server.sync.context import ServerActs
from server.sync.models import NO_KEY_UPDATE, Booking
from server.venues.service import venue_rules

# The audit event of an accepted offer is named by the hold: one, however often applied.
_EVENT_IDS = uuid.UUID("5d0f8c52-2b7e-4c1a-9a63-0f4e7d2b8c19")
ACTION = "accept_offer_by_sms"


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server did with the reply, in words kept with it for staff."""

    done: bool
    words: str


def open_offer(session: Session, venue_id: uuid.UUID, booking_id: uuid.UUID) -> Hold | None:
    """The latest offer hold of the booking not released (locked), if any."""
    return session.scalar(
        select(Hold)
        .where(
            Hold.venue_id == venue_id,
            Hold.booking_id == booking_id,
            Hold.offer_until.is_not(None),
            Hold.released_at.is_(None),
        )
        .order_by(Hold.fencing_token.desc())
        .limit(1)
        .with_for_update()
    )


def accept_offer(
    session: Session, venue_id: uuid.UUID, booking_id: uuid.UUID, now: datetime
) -> Answer:
    """Seat the guest on their offer's tables if it is still open; else say why not."""
    hold = open_offer(session, venue_id, booking_id)
    if hold is None or hold.offer_until is None or hold.offer_until <= now:
        return Answer(False, "The offer had ended before the guest answered; nothing changed.")
    if hold.expires_at <= now:
        return Answer(
            False,
            "The desk that made the offer stopped holding the table (offline?), so it was "
            "not kept for the guest; nothing changed. Call them back.",
        )
    row = session.get(Booking, booking_id, with_for_update=NO_KEY_UPDATE, populate_existing=True)
    acts = ServerActs(session, venue_id)
    # The plan is read behind the tables' locks, so a floor edit that held them is seen.
    placement.lock_tables(acts, hold.table_ids)
    rules = venue_rules(session, venue_id)
    if rules is None or row is None:
        return Answer(False, "The booking is not on the server; nothing changed.")
    before = store.booking(row)
    tables = tuple(sorted(str(t) for t in hold.table_ids))
    numbers = rules.plan.numbers(tables)
    try:
        after = kernel.promoted(rules, before, table_ids=tables, start=hold.start, at=now)
    except DomainError as refused:
        return Answer(False, f"{refused} Nothing changed.")
    if placement.in_the_way(acts, after):
        return Answer(
            False, f"Table {numbers} was taken meanwhile; nothing changed. Call the guest back."
        )
    store.write_booking(row, after)
    session.flush()
    placement.hold(acts, after)
    hold.released_at = now
    audit_log.record(
        session,
        venue_id,
        event_id=uuid.uuid5(_EVENT_IDS, str(hold.id)),
        at=now,
        action=ACTION,
        entity="booking",
        entity_id=row.id,
        before=booking_snapshot(before),
        after=booking_snapshot(after),
    )
    tell_now(
        session, intent=Event.REPLY, cause=f"{Event.REPLY}:{row.id}:{ACTION}",
        before=before, after=after, now=now,
    )  # fmt: skip
    stamp(session, venue_id, now, [row])
    status = "confirmed" if after.status is BookingStatus.CONFIRMED else "pending its deposit"
    return Answer(
        True,
        f"The guest took the offer: table {numbers} from "
        f"{rules.venue.show_time(after.start)}, {status}.",
    )
