"""Guest messages and replies on this desk, as the server last sent them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain.messages.log import GuestMessage, GuestReply
from app.domain.messages.replies import Action
from app.models.batch import rows_by_key
from app.models.message_tables import GuestMessageRow, GuestReplyRow
from app.models.sync_tables import SyncOutcomeRow
from app.models.tables import OutboxRow
from app.protocol import IntentName
from app.protocol.rows import MessageReplyRow, MessageRow

# Replies that did something by themselves are not waiting for staff.
FOR_STAFF = Action.STAFF.value
DECLINE_OFFER = Action.DECLINE_OFFER.value
CANCELLED_BY_GUEST = Action.CANCEL.value


class MessageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, message_id: str) -> GuestMessage | None:
        row = self.session.get(GuestMessageRow, message_id)
        return None if row is None else _message(row)

    def of_booking(self, booking_id: str) -> tuple[list[GuestMessage], list[GuestReply]]:
        """A booking's messages and replies, oldest first."""
        messages = self.session.scalars(
            select(GuestMessageRow)
            .where(GuestMessageRow.booking_id == booking_id)
            .order_by(GuestMessageRow.created_at, GuestMessageRow.id)
        )
        replies = self.session.scalars(
            select(GuestReplyRow)
            .where(GuestReplyRow.booking_id == booking_id)
            .order_by(GuestReplyRow.received_at, GuestReplyRow.id)
        )
        return [_message(r) for r in messages], [_reply(r) for r in replies]

    def declined_offers(self, booking_ids: Iterable[str]) -> dict[str, datetime]:
        """When each of these bookings' guests last replied 9 to a waitlist offer."""
        rows = self.session.execute(
            select(GuestReplyRow.booking_id, func.max(GuestReplyRow.received_at))
            .where(
                GuestReplyRow.booking_id.in_(list(booking_ids)),
                GuestReplyRow.action == DECLINE_OFFER,
            )
            .group_by(GuestReplyRow.booking_id)
        )
        return {booking_id: at for booking_id, at in rows if booking_id is not None}

    def cancelled_by_guest_here(self, booking_ids: Iterable[str]) -> dict[str, str]:
        """Replies of 9 that made the server cancel one of these bookings that this desk
        took (its create intent was this desk's): reply id → booking id. No desk's cancel
        freed such a booking's tables, so the desk that took the booking offers them to its
        waitlist, as the desk that sent a link does when the link's expiry cancels it
        (app/services/waitlist_offers.py). A reply the server did not act on is kept with
        the action "staff", so "cancel" here means it did."""
        created = IntentName.CREATE_BOOKING.value
        took = select(SyncOutcomeRow.entity_id).where(SyncOutcomeRow.name == created)
        took = took.union(select(OutboxRow.entity_id).where(OutboxRow.name == created))
        rows = self.session.execute(
            select(GuestReplyRow.id, GuestReplyRow.booking_id).where(
                GuestReplyRow.booking_id.in_(list(booking_ids)),
                GuestReplyRow.booking_id.in_(took),
                GuestReplyRow.action == CANCELLED_BY_GUEST,
            )
        )
        return {reply_id: booking_id for reply_id, booking_id in rows if booking_id is not None}

    def latest(self, booking_ids: Iterable[str], template: str) -> dict[str, GuestMessage]:
        """Each of these bookings' newest SMS of ``template`` (a waitlist offer's text)."""
        rows = self.session.scalars(
            select(GuestMessageRow)
            .where(
                GuestMessageRow.booking_id.in_(list(booking_ids)),
                GuestMessageRow.template == template,
                GuestMessageRow.channel == "sms",
            )
            .order_by(GuestMessageRow.created_at, GuestMessageRow.id)
        )
        return {r.booking_id: _message(r) for r in rows if r.booking_id is not None}

    def failed_between(self, start: datetime, end: datetime) -> list[GuestMessage]:
        """Messages queued in ``[start, end)`` that failed, newest first."""
        rows = self.session.scalars(
            select(GuestMessageRow)
            .where(
                GuestMessageRow.status == "failed",
                GuestMessageRow.created_at >= start,
                GuestMessageRow.created_at < end,
            )
            .order_by(GuestMessageRow.created_at.desc())
        )
        return [_message(r) for r in rows]

    def unseen_for_staff(self) -> list[GuestReply]:
        """Replies shown to staff that nobody at this desk has opened, newest first."""
        rows = self.session.scalars(
            select(GuestReplyRow)
            .where(GuestReplyRow.action == FOR_STAFF, GuestReplyRow.seen.is_(False))
            .order_by(GuestReplyRow.received_at.desc())
        )
        return [_reply(r) for r in rows]

    def count_unseen_for_staff(self) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(GuestReplyRow)
                .where(GuestReplyRow.action == FOR_STAFF, GuestReplyRow.seen.is_(False))
            )
            or 0
        )

    def queued(self, entity_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """This desk's ``send_sms`` / ``resend_message`` intents about these bookings or
        messages not yet answered by the server: (name, entity id, JSON body), in order."""
        names = (IntentName.SEND_SMS.value, IntentName.RESEND_MESSAGE.value)
        rows = self.session.execute(
            select(OutboxRow.name, OutboxRow.entity_id, OutboxRow.body)
            .where(OutboxRow.name.in_(names), OutboxRow.entity_id.in_(list(entity_ids)))
            .order_by(OutboxRow.device_seq)
        )
        return [(name, entity_id, body) for name, entity_id, body in rows]

    def mark_seen(self, booking_id: str) -> int:
        done = self.session.execute(
            update(GuestReplyRow)
            .where(GuestReplyRow.booking_id == booking_id, GuestReplyRow.seen.is_(False))
            .values(seen=True)
        )
        return int(done.rowcount)  # type: ignore[attr-defined]


def write_pulled_messages(session: Session, rows: Iterable[MessageRow]) -> None:
    pulled = list(rows)
    known = rows_by_key(session, GuestMessageRow, GuestMessageRow.id, (str(r.id) for r in pulled))
    for row in pulled:
        target = known[str(row.id)]
        if target is None:
            target = known[str(row.id)] = GuestMessageRow(id=str(row.id))
            session.add(target)
        elif target.version > row.version:
            continue
        target.booking_id = str(row.booking_id) if row.booking_id else None
        target.channel, target.template, target.recipient = row.channel, row.template, row.to
        target.status, target.attempts, target.last_error = row.status, row.attempts, row.last_error
        target.created_at, target.due_at = row.created_at, row.due_at
        target.sent_at, target.delivered_at = row.sent_at, row.delivered_at
        target.updated_at, target.version = row.updated_at, row.version


def write_pulled_replies(session: Session, rows: Iterable[MessageReplyRow]) -> None:
    pulled = list(rows)
    known = rows_by_key(session, GuestReplyRow, GuestReplyRow.id, (str(r.id) for r in pulled))
    for row in pulled:
        target = known[str(row.id)]
        if target is None:
            target = known[str(row.id)] = GuestReplyRow(id=str(row.id), seen=False)
            session.add(target)
        elif target.version > row.version:
            continue
        target.booking_id = str(row.booking_id) if row.booking_id else None
        target.sender, target.body = row.sender, row.body
        target.action, target.why = row.action, row.why
        target.received_at, target.version = row.received_at, row.version


def _message(r: GuestMessageRow) -> GuestMessage:
    return GuestMessage(
        id=r.id,
        booking_id=r.booking_id,
        channel=r.channel,
        template=r.template,
        recipient=r.recipient,
        status=r.status,
        attempts=r.attempts,
        last_error=r.last_error,
        created_at=r.created_at,
        due_at=r.due_at,
        sent_at=r.sent_at,
        delivered_at=r.delivered_at,
    )


def _reply(r: GuestReplyRow) -> GuestReply:
    return GuestReply(
        id=r.id,
        booking_id=r.booking_id,
        sender=r.sender,
        body=r.body,
        action=r.action,
        why=r.why,
        received_at=r.received_at,
        seen=r.seen,
    )
