"""A guest's "1" or "9" acted on: the booking confirmed or cancelled by the server itself.

``app.state.reply_judge`` (server/app.py) is ``judge_reply``. It runs in the inbound
webhook's transaction, after the reply was kept (server.messages.inbound), and judges
with the same kernel functions the push judges use (``kernel.set_status``,
``kernel.cancel``), as the server's own actor (``app.domain.audit.SERVER``) with an audit
event, and stamps the venue's version so every desk pulls the change (as the expiry
release does, server.payments.expiry). What the change tells the guest is the one
rule's (app.domain.messages.causes): "confirmed", or "cancelled".

A reply that cannot be acted on is kept for staff with the reason (the judge returns
it; the webhook writes it on the kept reply): a booking no longer pending or
confirmed, one whose deposit is still owed (it is confirmed by paying), and a
cancellation of a booking whose deposit was taken or secured online (staff cancel it
at the desk, so the venue's refund policy applies). A "1" to a waitlist offer seats the
guest on the offered tables while the offering desk still holds them
(server.messages.offer_replies); a "9" is left for the desk running the offer, which
passes it on when it pulls the reply.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.domain import kernel
from app.domain.booking import BookingStatus, DepositState, booking_snapshot
from app.domain.errors import DomainError
from app.domain.messages.causes import Event
from app.domain.messages.replies import Action, Reply
from app.domain.references import format_reference
from server import audit_log
from server.messages.offer_replies import accept_offer
from server.messages.tell import tell_now
from server.payments.settle import locked_booking, stamp
from server.sync import store
from server.sync.models import BookingTable
from server.venues.service import venue_rules

# The audit event of a reply's change is named by the booking and the action: a booking
# is confirmed once and cancelled once, so a reply applied twice writes one.
_EVENT_IDS = uuid.UUID("7d0c2a5e-3f4b-4e8a-9c61-5b2f8e1d0a47")
_TAKEN_ONLINE = frozenset({DepositState.PAID, DepositState.HELD, DepositState.CARD_SAVED})
ACTIONS = {Action.CONFIRM: "sms_reply_confirm", Action.CANCEL: "sms_reply_cancel"}


def judge_reply(session: Session, venue_id: uuid.UUID, reply: Reply, now: datetime) -> str | None:
    """Act on ``reply``; None when done (or nothing to do), else why it is left to staff."""
    if reply.action is Action.ACCEPT_OFFER and reply.booking_id is not None:
        taken = accept_offer(session, venue_id, uuid.UUID(reply.booking_id), now)
        return None if taken.done else taken.words
    if reply.action is Action.DECLINE_OFFER:
        # The desk running the offer passes it on when it pulls this reply
        # (app/services/waitlist_offers.py): nothing changes here.
        return None
    if reply.action not in ACTIONS or reply.booking_id is None:
        return None
    rules = venue_rules(session, venue_id)
    row = locked_booking(session, uuid.UUID(reply.booking_id))
    if rules is None or row.venue_id != venue_id:
        return "The booking this reply answers is not this venue's."
    before = store.booking(row)
    ref = format_reference(before.reference)
    try:
        if reply.action is Action.CONFIRM:
            after = kernel.set_status(rules, before, BookingStatus.CONFIRMED, at=now)
        else:
            if before.deposit_state in _TAKEN_ONLINE:
                return (
                    f"The guest asked to cancel booking {ref} by SMS; its deposit is "
                    f"{before.deposit_state.value.replace('_', ' ')}, so cancel it at the "
                    "desk for the venue's refund policy to apply."
                )
            after = kernel.cancel(rules, before, at=now)
    except DomainError as refused:
        return f"The guest's reply was not acted on: {refused}"
    if after == before:
        return None  # a 1 for a booking confirmed already: they are coming, nothing to do
    store.write_booking(row, after)
    session.flush()
    if after.status is BookingStatus.CANCELLED:
        session.execute(delete(BookingTable).where(BookingTable.booking_id == row.id))
    action = ACTIONS[reply.action]
    audit_log.record(
        session,
        venue_id,
        event_id=uuid.uuid5(_EVENT_IDS, f"{row.id}:{action}"),
        at=now,
        action=action,
        entity="booking",
        entity_id=row.id,
        before=booking_snapshot(before),
        after={**booking_snapshot(after), "reason": f"The guest replied by SMS ({reply.action})."},
    )
    tell_now(
        session, intent=Event.REPLY, cause=f"{Event.REPLY}:{row.id}:{action}",
        before=before, after=after, now=now,
    )  # fmt: skip
    stamp(session, venue_id, now, [row])
    return None
