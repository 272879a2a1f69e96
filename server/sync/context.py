"""What a judge of one intent works with, and how it says no."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain.floorplan import FloorPlan
from app.domain.permissions import Staff
from app.domain.venue import Venue
from app.sync import protocol as p


class Rejected(Exception):
    """The intent is refused with this reason; nothing it did is kept."""


class Redo(Exception):
    """Roll the intent's transaction back and judge it again inside savepoints."""


class Conflicted(Exception):
    """The intent is not applied; both sides are kept in a conflict record."""

    def __init__(
        self,
        kind: p.ConflictKind,
        booking_id: uuid.UUID,
        detail: dict[str, Any],
        other_booking_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(detail.get("message", kind.value))
        self.kind = kind
        self.booking_id = booking_id
        self.detail = detail
        self.other_booking_id = other_booking_id


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: p.OutcomeKind
    reason: str | None = None
    conflict_id: uuid.UUID | None = None


APPLIED = Verdict(p.OutcomeKind.APPLIED)


@dataclass(slots=True)
class Desk:
    """The pushing desk's row, as locked at the start of the intent's transaction."""

    id: uuid.UUID
    venue_id: uuid.UUID
    last_seq: int
    audit_seq: int
    audit_hash: str


@dataclass
class IntentContext:
    session: Session
    venue: Venue
    plan: FloorPlan
    device: Desk
    staff: Staff
    now: datetime
    mutation: p.MutationBase
    # Rows this intent changed, by table: they all get the transaction's version.
    touched: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    # Whether the judge runs inside a savepoint (see push.py, "Redo"), and
    # whether a judge running without one has written anything yet.
    safe: bool = True
    wrote: bool = False

    @property
    def venue_id(self) -> uuid.UUID:
        return self.device.venue_id

    def touch(self, *rows: Any) -> None:
        """ORM rows this intent changed (flushed before the version is stamped)."""
        for row in rows:
            self.touch_id(row.__tablename__, row.id)

    def touch_id(self, table: str, row_id: uuid.UUID) -> None:
        self.touched.setdefault(table, set()).add(row_id)
