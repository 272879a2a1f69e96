"""A booking's messages and replies as a desk holds them (pulled from the server)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class GuestMessage:
    id: str
    booking_id: str | None
    channel: str
    template: str
    # Masked (app.domain.messages.staff.masked).
    recipient: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    due_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class GuestReply:
    id: str
    booking_id: str | None
    sender: str
    body: str
    action: str
    why: str
    received_at: datetime
    seen: bool
