"""Shared checks of booking intents: loading, staleness, tables, fences."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app.domain.booking import ACTIVE, BookingStatus
from app.domain.errors import InvalidInput, NotFound
from app.sync import protocol as p
from server.holds.models import Hold
from server.sync.context import Conflicted, IntentContext, Rejected
from server.sync.models import Booking, Customer
from server.sync.rows import booking_summary

GUARDED = ("table_ids", "start", "duration_minutes", "party_size", "status")


def load_booking(ctx: IntentContext, booking_id: uuid.UUID) -> Booking:
    booking = ctx.session.get(Booking, booking_id, with_for_update=True, populate_existing=True)
    if booking is None or booking.venue_id != ctx.venue_id:
        raise Rejected(f"There is no booking {booking_id} in this venue on the server.")
    return booking


def field_value(booking: Booking, name: str) -> Any:
    value = getattr(booking, name)
    if name == "table_ids":
        return sorted(str(t) for t in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _same(name: str, seen: Any, current: Any) -> bool:
    if name == "table_ids":
        return isinstance(seen, list) and sorted(str(t) for t in seen) == current
    if name == "start":
        try:
            return datetime.fromisoformat(str(seen)) == datetime.fromisoformat(current)
        except ValueError:
            return False
    return str(seen) == str(current)


def stale_fields(ctx: IntentContext, booking: Booking, names: Iterable[str]) -> list[str]:
    """Fields the desk wants to change that someone else changed since it looked.

    Only a stale base version can make a field stale; then a field counts as
    changed unless the intent's ``previous`` shows the desk saw today's value.
    """
    if ctx.mutation.base_version >= booking.version:
        return []
    previous = ctx.mutation.previous
    return [
        n for n in names if n not in previous or not _same(n, previous[n], field_value(booking, n))
    ]


def is_stale(ctx: IntentContext, booking: Booking) -> bool:
    return ctx.mutation.base_version < booking.version


def stale_conflict(
    ctx: IntentContext, booking: Booking, fields: list[str], mine: Mapping[str, Any]
) -> Conflicted:
    theirs = {n: field_value(booking, n) for n in mine}
    changed = ", ".join(f.replace("_", " ") for f in fields)
    return Conflicted(
        p.ConflictKind.STALE_EDIT,
        booking.id,
        {
            "mine": dict(mine),
            "theirs": theirs,
            "fields": fields,
            "booking": booking_summary(booking),
            "message": f"Booking {booking.reference} was changed on another desk ({changed}) "
            "after this desk last saw it; both versions are kept for staff to choose.",
        },
    )


def guard_not_cancelled(ctx: IntentContext, booking: Booking, mine: Mapping[str, Any]) -> None:
    if booking.status == BookingStatus.CANCELLED:
        raise Conflicted(
            p.ConflictKind.EDIT_AFTER_CANCEL,
            booking.id,
            {
                "mine": dict(mine),
                "theirs": booking_summary(booking),
                "message": f"Booking {booking.reference} was cancelled; this change to it "
                "was not applied.",
            },
        )


def table_ids(ctx: IntentContext, ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    """The ids, sorted, each a table of this venue (else the intent is refused)."""
    wanted = sorted(set(ids))
    for t in wanted:
        try:
            ctx.plan.table(str(t))
        except NotFound:
            raise Rejected(f"There is no table {t} in this venue.") from None
    return wanted


def check_seating(ctx: IntentContext, ids: list[uuid.UUID], party_size: int) -> bool:
    """Whether the tables are a combination; InvalidInput if they cannot seat the party."""
    return ctx.plan.check_seating((str(t) for t in ids), party_size) is not None


def invalid_conflict(booking: Booking, error: InvalidInput, mine: Mapping[str, Any]) -> Conflicted:
    return Conflicted(
        p.ConflictKind.INVALID,
        booking.id,
        {"mine": dict(mine), "theirs": booking_summary(booking), "message": str(error)},
    )


def check_fence(
    ctx: IntentContext,
    token: int | None,
    ids: list[uuid.UUID],
    start: datetime,
    minutes: int,
) -> None:
    """A desk that took a hold must still own it: a stale fencing token is refused."""
    if token is None:
        return
    hold = ctx.session.scalar(select(Hold).where(Hold.fencing_token == token).with_for_update())
    numbers = ctx.plan.numbers(str(t) for t in ids) if ids else "these tables"
    if (
        hold is None
        or hold.venue_id != ctx.venue_id
        or hold.device_id != ctx.device.id
        or hold.released_at is not None
        or hold.expires_at <= ctx.now
    ):
        raise Rejected(
            f"This desk's hold on table {numbers} ran out (fencing token {token} is stale), "
            "so another desk may have taken the table. Check the table and try again."
        )
    end = start + timedelta(minutes=minutes)
    if not set(ids) <= set(hold.table_ids) or start < hold.start or end > hold.end:
        raise Rejected(
            f"The hold with fencing token {token} does not cover table {numbers} at that time."
        )
    hold.released_at = ctx.now


def ensure_customer(ctx: IntentContext, data: p.CustomerData) -> Customer:
    created = ctx.session.scalars(
        insert(Customer)
        .values(
            id=data.id,
            venue_id=ctx.venue_id,
            name=" ".join(data.name.split()),
            phone=data.phone,
            email=data.email,
            vip=data.vip,
            tags=list(data.tags),
            notes=data.notes,
            marketing_consent=data.marketing_consent,
            version=0,
            updated_at=ctx.now,
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Customer)
    ).first()
    customer = created or ctx.session.get(Customer, data.id)
    if customer is None or customer.venue_id != ctx.venue_id:
        raise Rejected("This customer belongs to another venue.")
    if customer.version == 0:
        ctx.touch(customer)
    return customer


def restored_status(detail: Mapping[str, Any]) -> str:
    """The status a kept-as-conflict booking wanted, if it is one that holds tables."""
    wanted = str(detail.get("mine", {}).get("status", ""))
    return wanted if wanted in {s.value for s in ACTIVE} else BookingStatus.CONFIRMED.value
