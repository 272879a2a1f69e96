"""Intent arguments in the wire format of app/sync/protocol.py."""

from __future__ import annotations

from typing import Any

from app.domain.booking import Booking
from app.domain.customer import Customer


def customer_args(c: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "phone": c.phone,
        "email": c.email,
        "vip": c.vip,
        "tags": list(c.tags),
        "notes": c.notes,
        "marketing_consent": c.marketing_consent,
    }


def create_args(b: Booking, c: Customer, fencing_token: int | None = None) -> dict[str, Any]:
    fence = {"fencing_token": fencing_token} if fencing_token is not None else {}
    return fence | {
        "reference": b.reference,
        "customer": customer_args(c),
        "party_size": b.party_size,
        "start": b.start.isoformat(),
        "duration_minutes": b.duration_minutes,
        "table_ids": list(b.table_ids),
        "combined": b.combined,
        "status": b.status.value,
        "special_requests": b.special_requests,
        "occasion": b.occasion,
        "notes": b.notes,
        "priority_score": b.priority_score,
        "deposit_state": b.deposit_state.value,
        "deposit_pence": b.deposit_pence,
        "source": b.source.value,
        "waitlisted_at": b.waitlisted_at.isoformat() if b.waitlisted_at else None,
    }


def placement_args(b: Booking) -> dict[str, Any]:
    return {
        "table_ids": list(b.table_ids),
        "combined": b.combined,
        "start": b.start.isoformat(),
        "duration_minutes": b.duration_minutes,
    }
