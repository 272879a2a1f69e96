"""Short holds on tables while a desk is booking them (docs/sync.md, "Holds")."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from app.protocol.base import Instant, Strict


class HoldRecord(Strict):
    id: UUID
    venue_id: UUID | None = None
    booking_id: UUID | None = None
    fencing_token: int | None = None
    table_ids: list[UUID]
    start: AwareDatetime
    end: AwareDatetime
    device_id: UUID
    device_name: str
    staff_name: str
    expires_at: AwareDatetime


class HoldRequest(Strict):
    table_ids: list[UUID] = Field(min_length=1, max_length=8)
    start: Instant
    end: Instant
    booking_id: UUID | None = None
    # The staff member at the desk, shown to the other desks.
    staff_id: UUID | None = None


class HoldGranted(Strict):
    id: UUID
    fencing_token: int
    expires_at: AwareDatetime
