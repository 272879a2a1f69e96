"""ORM classes of the desk's SQLite file. The domain never sees these."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, JSONText, UTCDateTime

Id = String(36)


class Synced:
    """Columns every synced row carries (ARCHITECTURE.md, Sync protocol)."""

    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VenueRow(Synced, Base):
    __tablename__ = "venue"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Opening hours, durations, deposit policy: the same shape as resources/backroom.json.
    config: Mapped[dict[str, Any]] = mapped_column(JSONText)


class AreaRow(Synced, Base):
    __tablename__ = "area"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    name: Mapped[str] = mapped_column(String(80))
    vip: Mapped[bool] = mapped_column(default=False)
    # A removed area is kept (rows are never deleted by sync) but leaves the plan.
    active: Mapped[bool] = mapped_column(default=True)


class TableRow(Synced, Base):
    __tablename__ = "dining_table"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    area_id: Mapped[str] = mapped_column(ForeignKey("area.id"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(80), default="")
    min_covers: Mapped[int]
    max_covers: Mapped[int]
    shape: Mapped[str] = mapped_column(String(16))
    x: Mapped[float]
    y: Mapped[float]
    width: Mapped[float]
    height: Mapped[float]
    rotation: Mapped[float] = mapped_column(default=0.0)
    booth: Mapped[bool] = mapped_column(default=False)
    vip: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    min_spend_pence: Mapped[int] = mapped_column(default=0)


class CombinationRow(Synced, Base):
    __tablename__ = "combination"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    name: Mapped[str] = mapped_column(String(80))
    table_ids: Mapped[list[str]] = mapped_column(JSONText)
    min_party: Mapped[int]
    max_party: Mapped[int]
    strategy: Mapped[str] = mapped_column(String(40))
    # A retired combination is kept for the record but no longer offered.
    active: Mapped[bool] = mapped_column(default=True)


class CustomerRow(Synced, Base):
    __tablename__ = "customer"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    name: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    vip: Mapped[bool] = mapped_column(default=False)
    tags: Mapped[list[str]] = mapped_column(JSONText, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Marketing consent: the latest record per channel (app.domain.consent.to_json).
    consent: Mapped[list[dict[str, Any]]] = mapped_column(JSONText, default=list)
    # When the server erased the guest at their request (docs/data-protection.md).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BookingRow(Synced, Base):
    __tablename__ = "booking"
    __table_args__ = (Index("ix_booking_day_start", "service_day", "start"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    reference: Mapped[str] = mapped_column(String(11), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customer.id"), index=True)
    party_size: Mapped[int]
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int]
    # Derived from start and the venue's day boundary, kept for per-night queries.
    service_day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    combined: Mapped[bool] = mapped_column(default=False)
    special_requests: Mapped[str] = mapped_column(Text, default="")
    occasion: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    priority_score: Mapped[int] = mapped_column(default=0)
    deposit_state: Mapped[str] = mapped_column(String(16))
    deposit_pence: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deposit_policy_version: Mapped[int] = mapped_column(default=0)
    spend_pence: Mapped[int | None] = mapped_column(default=None)
    package_id: Mapped[str | None] = mapped_column(default=None)
    package_pence: Mapped[int] = mapped_column(default=0, server_default="0")
    tables: Mapped[list[BookingTableRow]] = relationship(
        cascade="all, delete-orphan", order_by="BookingTableRow.position", lazy="selectin"
    )


class BookingTableRow(Base):
    __tablename__ = "booking_table"
    booking_id: Mapped[str] = mapped_column(ForeignKey("booking.id"), primary_key=True)
    table_id: Mapped[str] = mapped_column(ForeignKey("dining_table.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    name: Mapped[str] = mapped_column(String(120))
    username: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # scrypt hash of the desk PIN, for signing in while offline.
    pin_hash: Mapped[str | None] = mapped_column(String(200))


class AuditEventRow(Base):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("device_id", "seq", name="uq_audit_event_device_seq"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    device_id: Mapped[str] = mapped_column(Id)
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[str] = mapped_column(Id)
    staff_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(Id, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONText)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # When a guest's erasure scrubbed its before/after: it keeps the hash it was sealed
    # with, which its contents no longer give (app.models.erasure).
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """An intent waiting for its outcome from the server (app.protocol.intents).

    ``body`` is the intent's JSON as written by the journal, audit events
    included, and exactly what every push sends; name and entity are copied out
    of it to be queried.
    """

    __tablename__ = "outbox"
    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mutation_id: Mapped[str] = mapped_column(Id, unique=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str] = mapped_column(Id, index=True)
    body: Mapped[str] = mapped_column(Text)


class DeviceRow(Base):
    """This desk: its identity, its counters and its place in the server's change stream."""

    __tablename__ = "device"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    venue_id: Mapped[str] = mapped_column(ForeignKey("venue.id"))
    # Gap-free: taken and bumped inside the same transaction as the outbox row.
    last_seq: Mapped[int] = mapped_column(default=0)
    last_audit_seq: Mapped[int] = mapped_column(default=0)
    last_audit_hash: Mapped[str] = mapped_column(String(64))
    pull_cursor: Mapped[int] = mapped_column(default=0)
    # The head of this desk's audit chain the server last said it accepted (its anchor).
    server_audit_seq: Mapped[int | None]
    server_audit_hash: Mapped[str | None] = mapped_column(String(64))
    # Where this desk syncs, set when it is registered (the token is in the OS keyring).
    server_url: Mapped[str | None] = mapped_column(String(300))
    # Which copy of the venue's history the server held at this desk's last pull: new
    # when its database was restored from a backup (server/venues/restored.py).
    server_lineage: Mapped[str | None] = mapped_column(String(36))


# Registers the sync client's and the waitlist offers' tables on Base.
from app.models import (  # noqa: E402, F401
    ledger_tables,
    link_tables,
    message_tables,
    policy_tables,
    sync_tables,
    waitlist_tables,
)
