"""A booking's guest messages and replies, what needs staff, and staff's own texts.

The server sends; this desk shows what it pulled (docs/messages.md, "On the desk") and
journals ``send_sms`` / ``resend_message`` intents, queued offline like every intent.
What may be sent is the one meaning's (app.protocol.meaning), so the form refuses here
exactly what the server would, and nothing is written when it does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import DomainError, NotFound
from app.domain.messages.log import GuestMessage, GuestReply
from app.domain.messages.staff import (
    RESENDABLE,
    masked,
    reply_words,
    status_words,
    template_words,
)
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.models.journal import Change
from app.models.uow import Reader, Store
from app.protocol import IntentName, meaning
from app.protocol.message_args import ResendMessageArgs, SendSmsArgs
from app.services.common import Clock, get_booking, get_customer, wire

OFFLINE_WORDS = "It goes when this desk is back online."
ONLINE_WORDS = "The server sends it now."


@dataclass(frozen=True, slots=True)
class MessageLine:
    id: str
    at: datetime
    channel: str
    what: str
    to: str
    status: str
    error: str | None
    failed: bool
    may_resend: bool


@dataclass(frozen=True, slots=True)
class ReplyLine:
    id: str
    at: datetime
    text: str
    did: str
    why: str
    sender: str
    for_staff: bool
    seen: bool


@dataclass(frozen=True, slots=True)
class Waiting:
    """Asked for on this desk and not yet answered by the server."""

    what: str
    text: str


@dataclass(frozen=True, slots=True)
class BookingMessages:
    booking_id: str
    reference: str
    guest: str
    phone: str
    messages: list[MessageLine]
    replies: list[ReplyLine]
    waiting: list[Waiting]


@dataclass(frozen=True, slots=True)
class NeedsStaff:
    """One line of the badge's list: a failed message, or a reply nobody has read."""

    booking_id: str | None
    reference: str
    guest: str
    at: datetime
    what: str


@dataclass(frozen=True, slots=True)
class Attention:
    failed: list[NeedsStaff]
    unread: list[NeedsStaff]

    @property
    def count(self) -> int:
        return len(self.failed) + len(self.unread)


class GuestMessages:
    def __init__(self, store: Store, clock: Clock, online: Callable[[], bool]) -> None:
        self.store = store
        self.clock = clock
        # Whether this desk reaches its server now: only the words depend on it.
        self.online = online

    # ---- reading ---------------------------------------------------------------------
    def of_booking(self, booking_id: str) -> BookingMessages:
        with self.store.read() as reader:
            booking = get_booking(reader, booking_id)
            guest = get_customer(reader, booking.customer_id)
            messages, replies = reader.messages.of_booking(booking_id)
            ids = [booking_id, *(m.id for m in messages)]
            waiting = [_waiting(name, body) for name, _, body in reader.messages.queued(ids)]
        return BookingMessages(
            booking_id=booking_id,
            reference=format_reference(booking.reference),
            guest=guest.name,
            phone=masked("sms", guest.phone) if guest.phone else "",
            messages=[_line(m) for m in messages],
            replies=[_reply(r) for r in replies],
            waiting=waiting,
        )

    def attention(self) -> Attention:
        """Failed messages queued in today's service day, and replies for staff that
        nobody at this desk has opened: what the main window's badge counts."""
        now = self.clock()
        with self.store.read() as reader:
            venue = reader.venue.get().venue
            start, end = venue.service_window(venue.service_day(now))
            failed = reader.messages.failed_between(start, end)
            unread = reader.messages.unseen_for_staff()
            names = _names(reader, [m.booking_id for m in failed] + [r.booking_id for r in unread])
        return Attention(
            failed=[
                NeedsStaff(
                    m.booking_id,
                    *names.get(m.booking_id or "", ("", "")),
                    m.created_at,
                    f"{template_words(m.template)} by {m.channel} failed"
                    + (f": {m.last_error}" if m.last_error else ""),
                )
                for m in failed
            ],
            unread=[
                NeedsStaff(
                    r.booking_id,
                    *names.get(r.booking_id or "", ("", "")),
                    r.received_at,
                    f"Reply: {r.body}",
                )
                for r in unread
            ],
        )

    def mark_seen(self, booking_id: str) -> int:
        """The booking's replies were shown to staff at this desk."""
        with self.store.unit_of_work() as uow:
            seen = uow.messages.mark_seen(booking_id)
            uow.commit()
        return seen

    # ---- sending ---------------------------------------------------------------------
    def send_sms(self, staff: Staff, booking_id: str, text: str) -> str:
        """Ask the server to text the booking's guest ``text`` (queued offline)."""
        args = wire(SendSmsArgs, text=text)
        for action in meaning.required_actions(args, None):
            staff.require(action)
        body = meaning.sms_to_send(args)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            booking = get_booking(uow, booking_id)
            guest = get_customer(uow, booking.customer_id)
            if not guest.phone:
                raise DomainError(f"{guest.name} has no phone number to text.")
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.SEND_SMS,
                entity_id=booking_id,
                base_version=0,
                args=wire(SendSmsArgs, text=body),
                previous={},
                changes=[Change("guest_message", booking_id, None, {"sms": body})],
            )
            uow.commit()
        return f"Text to {guest.name} queued. {self._when()}"

    def resend(self, staff: Staff, message_id: str) -> str:
        """Ask the server to send a failed message again (queued offline)."""
        args = wire(ResendMessageArgs)
        for action in meaning.required_actions(args, None):
            staff.require(action)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            message = uow.messages.get(message_id)
            if message is None:
                raise NotFound("That message is not on this desk.")
            meaning.may_resend(message.status)
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.RESEND_MESSAGE,
                entity_id=message_id,
                base_version=0,
                args=args,
                previous={},
                changes=[
                    Change(
                        "guest_message",
                        message_id,
                        {"status": message.status},
                        {"status": "sent again"},
                    )
                ],
            )
            uow.commit()
        what = template_words(message.template)
        return f"{what} by {message.channel} will be sent again. {self._when()}"

    def _when(self) -> str:
        return ONLINE_WORDS if self.online() else OFFLINE_WORDS


def _line(m: GuestMessage) -> MessageLine:
    return MessageLine(
        id=m.id,
        at=m.sent_at or m.created_at,
        channel="SMS" if m.channel == "sms" else "Email",
        what=template_words(m.template),
        to=m.recipient,
        status=status_words(m.status),
        error=m.last_error,
        failed=m.status == "failed",
        may_resend=m.status in RESENDABLE,
    )


def _reply(r: GuestReply) -> ReplyLine:
    return ReplyLine(
        id=r.id,
        at=r.received_at,
        text=r.body,
        did=reply_words(r.action),
        why=r.why,
        sender=r.sender,
        for_staff=r.action == "staff",
        seen=r.seen,
    )


def _waiting(name: str, body: str) -> Waiting:
    if name == IntentName.SEND_SMS.value:
        return Waiting("Text from staff", str(json.loads(body)["args"]["text"]))
    return Waiting("Send again", "")


def _names(reader: Reader, booking_ids: list[str | None]) -> dict[str, tuple[str, str]]:
    """Each booking's reference and guest name."""
    found: dict[str, tuple[str, str]] = {}
    for booking_id in {b for b in booking_ids if b}:
        booking = reader.bookings.get(booking_id)
        if booking is None:
            continue
        guest = reader.customers.get(booking.customer_id)
        found[booking_id] = (format_reference(booking.reference), guest.name if guest else "")
    return found
