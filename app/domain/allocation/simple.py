"""Locked best fit: the tables a party would get if nothing already booked could move.

The smallest free single table that fits (combinable tables last, so big groups
can still book), else the tightest free combination whose party range fits,
else ``None``. The engine (``decide``) uses the same preferences but may also
re-arrange unseated bookings; this is also the baseline the benchmark compares
it with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.allocation.options import Seating
from app.domain.booking import Booking
from app.domain.floorplan import FloorPlan, Table


@dataclass(frozen=True, slots=True)
class SeatingRequest:
    party_size: int
    start: datetime
    duration_minutes: int
    vip: bool = False
    # The booking being re-seated, whose own tables count as free.
    booking_id: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)


def busy_table_ids(bookings: Iterable[Booking], request: SeatingRequest) -> set[str]:
    busy: set[str] = set()
    for b in bookings:
        if b.id != request.booking_id and b.holds_tables and b.overlaps(request.start, request.end):
            busy.update(b.table_ids)
    return busy


def first_in_the_way(
    bookings: Iterable[Booking], table_ids: Iterable[str], request: SeatingRequest
) -> Booking | None:
    """The earliest booking holding one of ``table_ids`` during the request, if any."""
    wanted = set(table_ids)
    blocking = [
        b
        for b in bookings
        if b.id != request.booking_id
        and b.holds_tables
        and wanted & set(b.table_ids)
        and b.overlaps(request.start, request.end)
    ]
    return min(blocking, key=lambda b: (b.start, b.id), default=None)


def allowed(table: Table, plan: FloorPlan, request: SeatingRequest) -> bool:
    if not table.active:
        return False
    area_vip = any(a.id == table.area_id and a.vip for a in plan.areas)
    return request.vip or not (table.vip or area_vip)


def allocate(
    plan: FloorPlan, bookings: Iterable[Booking], request: SeatingRequest
) -> Seating | None:
    busy = busy_table_ids(bookings, request)
    combinable = plan.combinable_table_ids()
    singles = [
        t
        for t in plan.tables
        if t.id not in busy and allowed(t, plan, request) and t.fits(request.party_size)
    ]
    if singles:
        best = min(
            singles,
            key=lambda t: (t.max_covers - request.party_size, t.id in combinable, t.number),
        )
        return Seating((best.id,))
    combos = [
        c
        for c in plan.combinations
        if c.fits(request.party_size)
        and not (c.table_ids & busy)
        and all(allowed(plan.table(tid), plan, request) for tid in c.table_ids)
    ]
    if combos:
        best_combo = min(
            combos,
            key=lambda c: (sum(plan.table(t).max_covers for t in c.table_ids), c.name),
        )
        ordered = tuple(sorted(best_combo.table_ids, key=lambda t: plan.table(t).number))
        return Seating(ordered, best_combo)
    return None


def is_free(
    plan: FloorPlan, bookings: Iterable[Booking], table_ids: Iterable[str], request: SeatingRequest
) -> bool:
    return not (set(table_ids) & busy_table_ids(bookings, request))
