"""The sync client's own tables: the server's last-known rows, outcomes, conflicts, holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JSONText, UTCDateTime

Id = String(36)


class SyncShadowRow(Base):
    """The server's row as last pulled (the ``*Row`` JSON of app/protocol/rows.py).

    A desk's visible row is this plus its still-pending intents re-applied on top.
    """

    __tablename__ = "sync_shadow"
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    version: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSONText)


class SyncOutcomeRow(Base):
    """The one outcome the server gave each of this desk's intents; kept as history."""

    __tablename__ = "sync_outcome"
    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mutation_id: Mapped[str] = mapped_column(Id, unique=True)
    name: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(Id, index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    conflict_id: Mapped[str | None] = mapped_column(Id)
    version: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A refusal stays "needs attention" until staff have read it (or settled it).
    acknowledged: Mapped[bool] = mapped_column(default=False)
    # A refused intent's body as it was sent, kept so staff can retry or amend it.
    body: Mapped[str | None] = mapped_column(Text)
    # How staff settled a refusal ("retried", "amended", "discarded", "acknowledged"),
    # who ("Alex Morgan (alex-id)") and when: the desk's record of it.
    settled_as: Mapped[str | None] = mapped_column(String(16))
    settled_by: Mapped[str | None] = mapped_column(String(120))
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncConflictRow(Base):
    """A conflict as the server last described it (open ones arrive on every page)."""

    __tablename__ = "sync_conflict"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), index=True)
    booking_id: Mapped[str] = mapped_column(Id, index=True)
    other_booking_id: Mapped[str | None] = mapped_column(Id)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONText)
    device_id: Mapped[str] = mapped_column(Id)
    staff_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(16))
    allowed: Mapped[list[str]] = mapped_column(JSONText)
    version: Mapped[int]


class SyncHoldRow(Base):
    """Live holds of every desk as of the last page ("Reception is booking table 7")."""

    __tablename__ = "sync_hold"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONText)


class SyncStaffAliasRow(Base):
    """A staff id this desk made before it learnt the server's id for the same person.

    Intents recorded under the old id (by a session signed in before the first
    sync) are sent under the server's id.
    """

    __tablename__ = "sync_staff_alias"
    old_id: Mapped[str] = mapped_column(Id, primary_key=True)
    new_id: Mapped[str] = mapped_column(Id)


class SyncNoticeRow(Base):
    """What a pull did to this desk that staff must be told, kept as the desk's own record.

    A staff member matched to the server's by username (``staff_match``: who they
    were here and who the server says they are) or a desk left with no manager
    who can sign in (``no_manager``). Desk-local, like refusals: not in the audit
    chain, which travels with intents and which the server checks.
    """

    __tablename__ = "sync_notice"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONText)
    # When the notice reached staff (the window or `backroom sync`); None: not yet.
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VenueRefusalRow(Base):
    """A change the server refused from another desk of the venue (pulled), shown here until
    that desk settles it or staff here acknowledge it (``acknowledged``, this desk's own)."""

    __tablename__ = "venue_refusal"
    # The refused intent's mutation id.
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    device_id: Mapped[str] = mapped_column(Id)
    device_name: Mapped[str] = mapped_column(String(120))
    device_seq: Mapped[int]
    name: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(Id)
    staff_id: Mapped[str] = mapped_column(Id)
    args: Mapped[dict[str, Any]] = mapped_column(JSONText)
    reason: Mapped[str] = mapped_column(Text)
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime)
    settled: Mapped[str | None] = mapped_column(String(16))
    version: Mapped[int]
    acknowledged: Mapped[bool] = mapped_column(default=False)
