"""Venues and their floor plans: areas, tables and combinations."""

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
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.limits import MAX_COORDINATE, MAX_TABLE_SIZE
from server.db import Base


class SyncedMixin:
    """Every row a desk mirrors carries the venue's version at its last change."""

    version: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(Text)
    # Opening hours, durations, day boundary and deposit policy as in the plan file.
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class VenueVersion(Base):
    """The one row per venue bumped inside every write transaction.

    Its row lock orders writers, so versions become visible in commit order and
    a reader paging with ``version > cursor`` never skips a late commit.
    """

    __tablename__ = "venue_versions"

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # Which copy of the venue's history this database holds: made anew when the operator
    # says it was restored from a backup (``backroom-server restored``). Version numbers
    # alone cannot tell: once new changes pass a desk's cursor, the restored server's
    # numbers look like the ones the desk pulled before (server/sync/pull.py).
    lineage: Mapped[uuid.UUID] = mapped_column(UUID, server_default=text("gen_random_uuid()"))
    restored_at: Mapped[datetime | None]


class FloorPlan(Base):
    """Each plan file loaded into a venue, kept as it was loaded."""

    __tablename__ = "floor_plans"

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    source: Mapped[dict[str, Any]] = mapped_column(JSONB)
    loaded_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Area(SyncedMixin, Base):
    __tablename__ = "areas"
    __table_args__ = (Index("ix_areas_venue_version", "venue_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    name: Mapped[str] = mapped_column(Text)
    vip: Mapped[bool] = mapped_column(default=False)
    # A removed area stays (desks mirror rows, never deletions) but leaves the plan.
    active: Mapped[bool] = mapped_column(default=True)


class DiningTable(SyncedMixin, Base):
    __tablename__ = "tables"
    __table_args__ = (
        Index("ix_tables_venue_version", "venue_id", "version"),
        CheckConstraint("min_covers >= 1 AND max_covers >= min_covers", name="covers"),
        # The domain's bounds (app/domain/limits.py); the migration spells them out.
        CheckConstraint(
            f"x BETWEEN -{MAX_COORDINATE:.0f} AND {MAX_COORDINATE:.0f} "
            f"AND y BETWEEN -{MAX_COORDINATE:.0f} AND {MAX_COORDINATE:.0f} "
            f"AND width > 0 AND width <= {MAX_TABLE_SIZE:.0f} "
            f"AND height > 0 AND height <= {MAX_TABLE_SIZE:.0f} "
            "AND rotation BETWEEN -360 AND 360",
            name="place",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("areas.id"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(Text, default="")
    min_covers: Mapped[int]
    max_covers: Mapped[int]
    shape: Mapped[str] = mapped_column(Text, default="square")
    x: Mapped[float] = mapped_column(default=0.0)
    y: Mapped[float] = mapped_column(default=0.0)
    width: Mapped[float] = mapped_column(default=60.0)
    height: Mapped[float] = mapped_column(default=60.0)
    rotation: Mapped[float] = mapped_column(default=0.0)
    booth: Mapped[bool] = mapped_column(default=False)
    vip: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    min_spend_pence: Mapped[int] = mapped_column(BigInteger, default=0)


class Combination(SyncedMixin, Base):
    __tablename__ = "combinations"
    __table_args__ = (Index("ix_combinations_venue_version", "venue_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    name: Mapped[str] = mapped_column(Text)
    table_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID))
    min_party: Mapped[int]
    max_party: Mapped[int]
    strategy: Mapped[str] = mapped_column(Text, default="COMBINED")
    active: Mapped[bool] = mapped_column(default=True)


class DepositPolicyVersion(SyncedMixin, Base):
    """One version of a venue's deposit policy, as set (``backroom-server venue
    deposit-policy set``). The newest is also the venue's ``settings["deposit_policy"]``,
    which the judges read; these rows are its history and carry it to every desk."""

    __tablename__ = "deposit_policies"
    __table_args__ = (
        UniqueConstraint("venue_id", "policy_version", name="uq_deposit_policies_venue_version"),
        CheckConstraint("policy_version >= 1", name="policy_version"),
        Index("ix_deposit_policies_venue_version", "venue_id", "version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID, primary_key=True, default=uuid.uuid4)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    policy_version: Mapped[int]
    # deposit_policy_to_dict's shape (a policy stored before versions: as it was stored).
    terms: Mapped[dict[str, Any]] = mapped_column(JSONB)
    set_by: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(server_default=func.now())
