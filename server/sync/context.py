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
from server.auth.models import Device


class Rejected(Exception):
    """The intent is refused with this reason; nothing it did is kept."""


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


@dataclass
class IntentContext:
    session: Session
    venue: Venue
    plan: FloorPlan
    device: Device
    staff: Staff
    now: datetime
    mutation: p.MutationBase
    # ORM rows this intent changed: they all get the transaction's version.
    touched: list[object] = field(default_factory=list)

    @property
    def venue_id(self) -> uuid.UUID:
        return self.device.venue_id

    def touch(self, *rows: object) -> None:
        for row in rows:
            if not any(row is seen for seen in self.touched):
                self.touched.append(row)
