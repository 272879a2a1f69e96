"""The message outbox and the numbers and addresses that asked us to stop."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.messages.staff import masked
from server.db import Base
from server.venues.models import SyncedMixin

# "logged": no channel was configured, so the message only went to the server's log.
STATUSES = (
    "pending", "sending", "sent", "delivered", "failed", "cancelled", "suppressed", "logged",
)  # fmt: skip
CHANNELS = ("email", "sms")


def _one_of(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class OutboxMessage(SyncedMixin, Base):
    """One message to one guest on one channel, written in the transaction of the change
    that causes it and sent by the worker (server.messages.sender) exactly once as
    docs/messages.md defines it.

    ``idempotency_key`` is unique: enqueueing the same cause twice (a retried push)
    adds nothing. ``lease_until`` is when a worker's claim runs out; a message found
    ``sending`` with its lease run out was being sent by a worker that died.

    Synced to every desk (``app.protocol.rows.MessageRow``, without the words or the
    full address): each change of status takes the venue's next version.
    """

    __tablename__ = "message_outbox"
    __table_args__ = (
        CheckConstraint(f"status IN ({_one_of(STATUSES)})", name="status"),
        CheckConstraint(f"channel IN ({_one_of(CHANNELS)})", name="channel"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_message_outbox_idempotency_key", "idempotency_key", unique=True),
        Index("ix_message_outbox_booking_id", "booking_id"),
        Index("ix_message_outbox_venue_version", "venue_id", "version"),
        # The worker's scan: what is due, and what a dead worker left.
        Index(
            "ix_message_outbox_due",
            "due_at",
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    booking_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bookings.id"))
    idempotency_key: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default="pending")
    attempts: Mapped[int] = mapped_column(server_default="0")
    due_at: Mapped[datetime]
    lease_owner: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None]
    # When the attempt now under way (or last made) began: an SMS found at the provider
    # after this was sent by that attempt.
    attempt_started_at: Mapped[datetime | None]
    provider_id: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    @property
    def to(self) -> str:
        """The address as a desk may hold it (app.protocol.rows.MessageRow)."""
        return masked(self.channel, self.recipient)


class Suppression(Base):
    """An address or number that must not be sent to (it replied STOP, or bounced for
    good), until it asks again (START)."""

    __tablename__ = "message_suppressions"
    __table_args__ = (CheckConstraint(f"channel IN ({_one_of(CHANNELS)})", name="channel"),)

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(Text, primary_key=True)
    recipient: Mapped[str] = mapped_column(Text, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime]


class InboundSms(SyncedMixin, Base):
    """A guest's SMS to the venue, kept whatever it asked: staff read every reply on its
    booking. Its provider id is the key, so a webhook delivered twice is applied once."""

    __tablename__ = "message_inbound"
    __table_args__ = (
        Index("ix_message_inbound_booking_id", "booking_id"),
        Index("ix_message_inbound_venue_version", "venue_id", "version"),
        Index("ix_message_inbound_id", "id", unique=True),
    )

    message_sid: Mapped[str] = mapped_column(Text, primary_key=True)
    # What a desk mirrors it by (desks key every row by uuid).
    id: Mapped[uuid.UUID] = mapped_column(
        UUID, default=uuid.uuid4, server_default=text("gen_random_uuid()")
    )
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    booking_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bookings.id"))
    from_number: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # What the reply parser made of it (app.domain.messages.replies.Action) and why.
    action: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]

    @property
    def sender(self) -> str:
        """The number as a desk may hold it (app.protocol.rows.MessageReplyRow)."""
        return masked("sms", self.from_number)
