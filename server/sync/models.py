"""Customers, bookings, the tables they hold, intent outcomes, conflicts, audit."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSTZRANGE, UUID, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.limits import MAX_DURATION, MAX_PARTY, MAX_PENCE, MAX_PRIORITY, MIN_DURATION
from server.db import Base
from server.venues.models import SyncedMixin

BOOKING_STATUSES = (
    "'pending', 'confirmed', 'seated', 'completed', 'cancelled', 'no_show', "
    "'waitlisted', 'conflict'"
)


class Customer(SyncedMixin, Base):
    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_venue_version", "venue_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    name: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    vip: Mapped[bool] = mapped_column(default=False)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Marketing consent: the latest record per channel (app.domain.consent.to_json), what
    # desks mirror; every record ever received is in ``customer_consents``.
    consent: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # When the guest was forgotten at their request (server/guests/erase.py): nothing may
    # write who they are to this record again.
    erased_at: Mapped[datetime | None]


class CustomerConsent(Base):
    """One marketing consent record, as a desk (or the guest's STOP reply) made it: the
    history behind ``Customer.consent``. Goes with the guest when they are deleted."""

    __tablename__ = "customer_consents"
    __table_args__ = (CheckConstraint("channel IN ('email', 'sms')", name="channel"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(Text, primary_key=True)
    at: Mapped[datetime] = mapped_column(primary_key=True)
    given: Mapped[bool] = mapped_column(primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    wording_id: Mapped[str] = mapped_column(Text)
    wording_version: Mapped[int]
    recorded_by: Mapped[str] = mapped_column(Text)
    # When the server first heard of it (a desk may have recorded it offline, earlier).
    received_at: Mapped[datetime]


# How a writer locks a booking it changes: FOR NO KEY UPDATE, as PostgreSQL's own UPDATE
# of non-key columns does. FOR UPDATE would also block the KEY SHARE lock that a foreign
# key check takes on the booking when a row pointing at it is written (a guest message
# marked sent, a table row), which made the sender and a push deadlock.
NO_KEY_UPDATE = {"key_share": True}
LOCK_BOOKING = "FOR NO KEY UPDATE"  # the same, in hand-written SQL


class Booking(SyncedMixin, Base):
    __tablename__ = "bookings"
    __table_args__ = (
        UniqueConstraint("venue_id", "reference", name="uq_bookings_venue_reference"),
        CheckConstraint(f"status IN ({BOOKING_STATUSES})", name="status"),
        # The domain's limits (app/domain/limits.py); the migration spells them out and
        # tests/server/test_one_rule.py holds the two together.
        CheckConstraint(f"party_size BETWEEN 1 AND {MAX_PARTY}", name="party_size"),
        CheckConstraint(
            f"duration_minutes BETWEEN {MIN_DURATION} AND {MAX_DURATION}", name="duration"
        ),
        CheckConstraint(f"priority_score BETWEEN 0 AND {MAX_PRIORITY}", name="priority"),
        CheckConstraint("deposit_pence >= 0", name="deposit"),
        CheckConstraint("deposit_policy_version >= 0", name="deposit_policy_version"),
        CheckConstraint(f"spend_pence BETWEEN 0 AND {MAX_PENCE}", name="spend"),
        CheckConstraint(f"package_pence BETWEEN 0 AND {MAX_PENCE}", name="package"),
        Index("ix_bookings_venue_version", "venue_id", "version"),
        Index("ix_bookings_venue_start", "venue_id", "start"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    reference: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id"), index=True)
    party_size: Mapped[int]
    start: Mapped[datetime]
    duration_minutes: Mapped[int]
    status: Mapped[str] = mapped_column(Text)
    # The tables staff chose; a booking in conflict keeps them here for the
    # record but holds none (only booking_tables rows hold a table).
    table_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID), default=list)
    combined: Mapped[bool] = mapped_column(default=False)
    special_requests: Mapped[str] = mapped_column(Text, default="")
    occasion: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    priority_score: Mapped[int] = mapped_column(default=0)
    deposit_state: Mapped[str] = mapped_column(Text, default="not_required")
    deposit_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    source: Mapped[str] = mapped_column(Text, default="phone")
    waitlisted_at: Mapped[datetime | None]
    # The deposit policy version that priced deposit_pence (app.domain.deposits.price).
    deposit_policy_version: Mapped[int] = mapped_column(default=0)
    # What the party spent, from the till (app.domain.spend); NULL: not recorded.
    spend_pence: Mapped[int | None] = mapped_column(BigInteger)
    # The package pre-ordered and what it was sold for (app.domain.packages).
    package_id: Mapped[str | None] = mapped_column(Text)
    package_pence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class BookingTable(Base):
    """One row per table an active booking holds, over the booking's time.

    The exclusion constraint makes two of them on one table at overlapping
    times impossible, checked at each statement (declared DEFERRABLE INITIALLY
    IMMEDIATE, and never deferred: a re-arrangement releases its bookings' tables
    before any takes new ones, server/sync/rearrange.py).
    """

    __tablename__ = "booking_tables"
    __table_args__ = (
        ExcludeConstraint(
            ("table_id", "="),
            ("during", "&&"),
            name="booking_tables_no_overlap",
            using="gist",
            deferrable=True,
            initially="IMMEDIATE",
        ),
    )

    booking_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True
    )
    table_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tables.id"), primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    during: Mapped[Any] = mapped_column(TSTZRANGE)


class IntentOutcome(Base):
    """Exactly one durable outcome per (device, device_seq)."""

    __tablename__ = "intent_outcomes"
    __table_args__ = (
        CheckConstraint("outcome IN ('applied', 'merged', 'conflict', 'rejected')", name="outcome"),
        Index("ix_intent_outcomes_device_version", "device_id", "version"),
    )

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    device_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(UUID, unique=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    name: Mapped[str] = mapped_column(Text)
    # SHA-256 of the intent's canonical JSON: a replay must match it exactly.
    body_hash: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    conflict_id: Mapped[uuid.UUID | None] = mapped_column(UUID)
    version: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Conflict(Base):
    __tablename__ = "conflicts"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('overlap', 'stale_edit', 'edit_after_cancel', 'illegal_move', 'invalid')",
            name="kind",
        ),
        CheckConstraint("state IN ('open', 'resolved')", name="state"),
        Index("ix_conflicts_venue_version", "venue_id", "version"),
        Index("ix_conflicts_venue_state", "venue_id", "state"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    kind: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text, default="open")
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id"), index=True)
    other_booking_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bookings.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    staff_name: Mapped[str] = mapped_column(Text)
    mutation_id: Mapped[uuid.UUID] = mapped_column(UUID)
    allowed: Mapped[list[str]] = mapped_column(ARRAY(Text))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditEvent(Base):
    """Hash-chained audit events: a desk's, stored once their chain verified, or the
    server's own (no desk)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("device_id", "seq", name="uq_audit_events_device_seq"),
        # The server's own chain, one per venue (server/audit_log.py).
        Index(
            "uq_audit_events_server_seq",
            "venue_id",
            "seq",
            unique=True,
            postgresql_where=text("device_id IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    # None: written by the server itself (app.domain.audit.SERVER), not by a desk.
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    staff_id: Mapped[uuid.UUID] = mapped_column(UUID)
    staff_name: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[uuid.UUID] = mapped_column(UUID, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    prev_hash: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Refusal(SyncedMixin, Base):
    """A change the server refused, kept so that every desk of the venue shows it until the
    desk that made it settles it (retried, amended, discarded or acknowledged there).

    ``id`` is the refused intent's mutation id. The staff member may be unknown to the
    server (that is often why it was refused), so ``staff_id`` is not a foreign key.
    """

    __tablename__ = "refusals"
    __table_args__ = (
        CheckConstraint(
            "settled IS NULL OR settled IN ('retried', 'amended', 'discarded', 'acknowledged')",
            name="settled",
        ),
        Index("ix_refusals_venue_version", "venue_id", "version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    device_name: Mapped[str] = mapped_column(Text)
    device_seq: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[uuid.UUID] = mapped_column(UUID)
    staff_id: Mapped[uuid.UUID] = mapped_column(UUID)
    args: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(Text)
    refused_at: Mapped[datetime]
    settled: Mapped[str | None] = mapped_column(Text)
    settled_at: Mapped[datetime | None]
