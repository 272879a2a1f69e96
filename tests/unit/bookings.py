"""A booking for the kernel's rule tests to start from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.booking import Booking, BookingStatus


def a_booking(start: datetime, status: BookingStatus, **changes: Any) -> Booking:
    """A party of four on one table for two hours from ``start``, made then."""
    fields: dict[str, Any] = {
        "id": "b1",
        "venue_id": "v",
        "reference": "ABCDEFGHJK0",
        "customer_id": "c",
        "party_size": 4,
        "start": start,
        "duration_minutes": 120,
        "status": status,
        "created_at": start,
        "updated_at": start,
        "table_ids": ("t1",),
    }
    return Booking(**(fields | changes))
