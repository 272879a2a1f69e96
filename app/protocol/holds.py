"""Short holds on tables while a desk is booking them (docs/sync.md, "Holds")."""

from __future__ import annotations

from typing import Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

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
    # A waitlist offer of these tables to ``booking_id``'s guest, open until then: the
    # server texts the guest, and their "1" before then seats them (docs/messages.md).
    offer_until: Instant | None = None

    @model_validator(mode="after")
    def _offer_names_its_booking(self) -> Self:
        if self.offer_until is not None and self.booking_id is None:
            raise ValueError("A waitlist offer's hold names the booking it is offered to.")
        return self


class HoldGranted(Strict):
    id: UUID
    fencing_token: int
    expires_at: AwareDatetime
