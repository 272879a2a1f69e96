"""The desk's copy of the guest messages the server queued and the replies it received
(pulled, never written here but for ``seen``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

Id = String(36)


class GuestMessageRow(Base):
    """One message to a guest (app.protocol.rows.MessageRow): no words, a masked address."""

    __tablename__ = "guest_messages"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    booking_id: Mapped[str | None] = mapped_column(Id, index=True)
    channel: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int]


class GuestReplyRow(Base):
    """A guest's SMS to the venue (app.protocol.rows.MessageReplyRow). ``seen``: someone
    at this desk has opened it (this desk's own, never synced)."""

    __tablename__ = "guest_replies"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    booking_id: Mapped[str | None] = mapped_column(Id, index=True)
    sender: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))
    why: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int]
    seen: Mapped[bool] = mapped_column(default=False, server_default="0")
