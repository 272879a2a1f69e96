"""Conflicts as every desk sees them (kinds and resolutions are the domain's)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from app.domain.conflicts import ConflictKind, Resolution
from app.protocol.base import Strict, Version

__all__ = ["ConflictKind", "Resolution"]


class ConflictState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ConflictRecord(Strict):
    id: UUID
    kind: ConflictKind
    state: ConflictState
    booking_id: UUID
    other_booking_id: UUID | None = None
    # Both sides as staff saw them: {"mine": {...}, "theirs": {...}}.
    detail: dict[str, object]
    device_id: UUID
    staff_name: str
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: Resolution | None = None
    allowed: list[Resolution]
    version: Version
