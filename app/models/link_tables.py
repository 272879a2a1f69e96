"""The desk's copy of the deposit payment links the server made (pulled, never written here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

Id = String(36)


class DepositLinkRow(Base):
    """One payment link; ``id`` is the mutation id of the ``request_deposit`` intent."""

    __tablename__ = "deposit_requests"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    booking_id: Mapped[str] = mapped_column(Id, index=True)
    amount_pence: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    problem: Mapped[str | None] = mapped_column(Text)
    # When the server cancelled the booking because this link expired unpaid.
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), server_default="link")
    mode: Mapped[str] = mapped_column(String(16), server_default="payment")
    reason: Mapped[str | None] = mapped_column(Text)
    card_last4: Mapped[str | None] = mapped_column(String(4))
    capture_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
