"""A manager's floor-plan edit checked against the bookings that rely on the plan.

Retiring or changing a combination must not strand a booking already sitting
on it: the edit is refused, naming the bookings, and staff move them first
(a refusal loses nothing; flagging the bookings instead would leave parties
booked on a join the venue no longer offers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain.booking import Booking
from app.domain.errors import InvalidInput
from app.domain.floorplan import FloorPlan
from app.domain.references import format_reference
from app.domain.venue import Venue


@dataclass(frozen=True, slots=True)
class TableUse:
    """A booking holding tables, as the edit check needs it (desk and server alike)."""

    reference: str
    table_ids: frozenset[str]
    party_size: int
    start: datetime
    end: datetime


def joined_uses(bookings: Iterable[Booking], now: datetime) -> list[TableUse]:
    """Bookings on more than one table that have not ended."""
    return [
        TableUse(b.reference, frozenset(b.table_ids), b.party_size, b.start, b.end)
        for b in bookings
        if b.holds_tables and len(b.table_ids) > 1 and b.end > now
    ]


def _seats(plan: FloorPlan, use: TableUse) -> bool:
    try:
        plan.check_seating(use.table_ids, use.party_size)
    except InvalidInput:
        return False
    return True


def refuse_stranding(
    before: FloorPlan, after: FloorPlan, uses: Iterable[TableUse], venue: Venue
) -> None:
    """Refuse an edit after which a booking that sat on its tables no longer would."""
    lost = sorted(
        (u for u in uses if _seats(before, u) and not _seats(after, u)), key=lambda u: u.start
    )
    if not lost:
        return
    described = "; ".join(
        f"{format_reference(u.reference)} (tables {before.numbers(u.table_ids)}, party of "
        f"{u.party_size}, {venue.local(u.start):%a %d %b} {venue.show_time(u.start)})"
        for u in lost
    )
    if len(lost) == 1:
        message = f"Booking {described} relies on this combination; move it first."
    else:
        message = f"{len(lost)} bookings rely on this combination: {described}. Move them first."
    raise InvalidInput("bookings", message)
