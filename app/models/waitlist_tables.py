"""The waitlist's offers on this desk: freed tables, the offers made for them, the skips.

Offers are desk-local: the desk where staff freed the table runs the offer
(docs/allocation.md, "Waitlist offers"). Booking changes that follow from an
offer (the promotion) go through the audit chain and the outbox like any other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONText, UTCDateTime

Id = String(36)


class FreedTableRow(Base):
    """Tables that came free for a stretch of the night; open until taken or accepted."""

    __tablename__ = "waitlist_freed"
    __table_args__ = (Index("ix_waitlist_freed_day_open", "service_day", "closed_at"),)
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date)
    table_ids: Mapped[list[str]] = mapped_column(JSONText)
    min_party: Mapped[int] = mapped_column(Integer)
    max_party: Mapped[int] = mapped_column(Integer)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    vip: Mapped[bool] = mapped_column(Boolean)
    why: Mapped[str] = mapped_column(String(40))
    freed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OfferRow(Base):
    """One guest offered one freed table, held until ``expires_at``."""

    __tablename__ = "waitlist_offer"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    freed_id: Mapped[str] = mapped_column(String(80), index=True)
    booking_id: Mapped[str] = mapped_column(Id, index=True)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # accepted, declined, expired or withdrawn; None while the offer is open.
    outcome: Mapped[str | None] = mapped_column(String(16))


class SkipRow(Base):
    """The fairness log: a guest passed over for a freed table, and why."""

    __tablename__ = "waitlist_skip"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    freed_id: Mapped[str] = mapped_column(String(80), index=True)
    booking_id: Mapped[str] = mapped_column(Id)
    reason: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
