"""A guest's SMS reply: kept on its booking, opt-outs applied at once, the rest parsed.

The reply's meaning is the domain's (``app.domain.messages.replies``). What this module
does not do is act on a booking: confirming, cancelling, taking or passing an offer
are intents the sync judges must apply (``ReplyJudge``), wired by the lead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.messages.replies import Action, Asked, Awaiting, Reply, parse_reply
from app.domain.messages.wording import TemplateName
from app.domain.plan_data import venue_from_dict
from server.messages.models import InboundSms, OutboxMessage
from server.messages.outbox import suppress, unsuppress
from server.sync.consent import withdraw_by_stop
from server.sync.models import Booking, Customer
from server.venues.models import Venue
from server.versioning import bump_version

T = TemplateName
# The messages that ask the guest something, and what a digit answers.
ASKING = {
    T.BOOKING_CREATED.value: Asked.BOOKING,
    T.BOOKING_CONFIRMED.value: Asked.BOOKING,
    T.BOOKING_MOVED.value: Asked.BOOKING,
    T.REMINDER.value: Asked.BOOKING,
    T.OFFER_MADE.value: Asked.OFFER,
}
# A booking can still be answered about in these statuses (an offer: while waitlisted).
ANSWERABLE = {Asked.BOOKING: ("pending", "confirmed"), Asked.OFFER: ("waitlisted",)}


class Replayed(Exception):
    """This provider message was already received."""


class UnknownNumber(Exception):
    """No guest of any venue has this number."""


@dataclass(frozen=True, slots=True)
class Received:
    venue_id: uuid.UUID
    reply: Reply


class ReplyJudge(Protocol):
    """Acts on a digit reply in ``session``'s transaction (server.messages.reply_judge);
    returns why it did not, for staff, or None."""

    def __call__(self, session: Session, venue_id: uuid.UUID, reply: Reply) -> str | None: ...


def receive_sms(
    session: Session, *, sid: str, from_number: str, body: str, at: datetime
) -> Received:
    """Records the reply and applies an opt-out or opt-in; the caller commits. The reply
    takes the venue's next version, so every desk pulls it."""
    if session.get(InboundSms, sid) is not None:
        raise Replayed(sid)
    venues = list(
        session.scalars(select(Customer.venue_id).where(Customer.phone == from_number).distinct())
    )
    if not venues:
        raise UnknownNumber(from_number)
    awaiting, venue_of = _awaiting(session, from_number)
    reply = parse_reply(body, awaiting)
    if reply.action is Action.OPT_OUT:
        for venue_id in venues:
            suppress(session, venue_id, "sms", from_number, f"the guest replied: {body[:40]}", at)
            # STOP also withdraws SMS marketing consent; START does not give it back.
            withdraw_by_stop(session, venue_id, from_number, at)
    elif reply.action is Action.OPT_IN:
        for venue_id in venues:
            unsuppress(session, venue_id, "sms", from_number)
    latest = max(awaiting, key=lambda a: a.asked_at).booking_id if awaiting else None
    booking_id = reply.booking_id or latest
    venue_id = venue_of.get(booking_id, venues[0]) if booking_id else venues[0]
    version = bump_version(session, venue_id)
    session.add(
        InboundSms(
            id=uuid.uuid4(),
            version=version,
            updated_at=at,
            message_sid=sid,
            venue_id=venue_id,
            booking_id=uuid.UUID(booking_id) if booking_id else None,
            from_number=from_number,
            body=body,
            action=reply.action.value,
            why=reply.why,
            received_at=at,
        )
    )
    return Received(venue_id, reply)


def _awaiting(session: Session, number: str) -> tuple[list[Awaiting], dict[str, uuid.UUID]]:
    """The bookings this number was asked about and may still answer, each with when it
    was last asked and its service day; and each booking's venue."""
    asked_at = func.max(OutboxMessage.sent_at)
    rows = session.execute(
        select(
            Booking.id,
            Booking.venue_id,
            Booking.start,
            Booking.status,
            OutboxMessage.template,
            asked_at,
        )
        .join(Booking, Booking.id == OutboxMessage.booking_id)
        .where(
            OutboxMessage.channel == "sms",
            OutboxMessage.recipient == number,
            OutboxMessage.status.in_(("sent", "delivered")),
            OutboxMessage.template.in_(list(ASKING)),
        )
        .group_by(Booking.id, OutboxMessage.template)
    ).all()
    venues = {
        v.id: v for v in session.scalars(select(Venue).where(Venue.id.in_({r[1] for r in rows})))
    }
    latest: dict[str, Awaiting] = {}
    venue_of: dict[str, uuid.UUID] = {}
    for booking_id, venue_id, start, status, template, when in rows:
        asked = ASKING[template]
        if status not in ANSWERABLE[asked]:
            continue
        row = venues[venue_id]
        venue = venue_from_dict({**row.settings, "id": str(row.id), "name": row.name})
        key = str(booking_id)
        candidate = Awaiting(key, asked, venue.service_day(start), when)
        if key not in latest or latest[key].asked_at < when:
            latest[key] = candidate
        venue_of[key] = venue_id
    return list(latest.values()), venue_of
