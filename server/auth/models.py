"""Staff, registered desks, their tokens and the failed sign-in counter."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base
from server.venues.models import SyncedMixin


class StaffMember(SyncedMixin, Base):
    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("venue_id", "username", name="uq_staff_venue_username"),
        CheckConstraint("role IN ('reception', 'manager', 'admin')", name="role"),
        Index("ix_staff_venue_version", "venue_id", "version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    username: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    # The desk PIN's scrypt hash, set by an admin at a desk; sent only to the venue's desks
    # so the person signs in on each of them offline. The server never checks a PIN.
    pin_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Device(Base):
    """A registered desk, with how far its intents and audit chain have reached."""

    __tablename__ = "devices"
    __table_args__ = (
        CheckConstraint("role_ceiling IN ('reception', 'manager', 'admin')", name="role_ceiling"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    registered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    # The highest role whose intents this desk may send (app.domain.permissions.RANK).
    role_ceiling: Mapped[str] = mapped_column(Text, server_default="manager")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    revoked_at: Mapped[datetime | None]
    last_seq: Mapped[int] = mapped_column(default=0)
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_hash: Mapped[str] = mapped_column(Text, default="0" * 64)
    last_seen_at: Mapped[datetime | None]


class Token(Base):
    """A bearer token, stored only as its SHA-256 (it carries 256 random bits)."""

    __tablename__ = "tokens"
    __table_args__ = (
        CheckConstraint("kind IN ('staff', 'device')", name="kind"),
        CheckConstraint(
            "(kind = 'staff' AND staff_id IS NOT NULL) OR "
            "(kind = 'device' AND device_id IS NOT NULL)",
            name="owner",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginFailures(Base):
    """Failed sign-ins, counted in the database so every server instance sees
    the same count: per venue, name and client address; '' for the username
    counts every name from that address, '' for the client every address
    (server/auth/throttle.py)."""

    __tablename__ = "login_failures"

    venue_id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    username: Mapped[str] = mapped_column(Text, primary_key=True)
    client: Mapped[str] = mapped_column(Text, primary_key=True, server_default="")
    failures: Mapped[int] = mapped_column(default=0)
    first_failed_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
