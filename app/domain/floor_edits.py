"""A manager's floor-plan edit checked against the bookings that rely on the plan.

Retiring or changing a combination, or retiring a table or making it seat fewer,
must not strand a booking already on it: the edit is refused, naming the bookings,
and staff move them first (a refusal loses nothing; flagging the bookings instead
would leave parties booked on a join the venue no longer offers, or a party of six
on a table for four).
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


def table_uses(bookings: Iterable[Booking], now: datetime) -> list[TableUse]:
    """Bookings on tables that have not ended."""
    return [
        TableUse(b.reference, frozenset(b.table_ids), b.party_size, b.start, b.end)
        for b in bookings
        if b.holds_tables and b.end > now
    ]


def _seats(plan: FloorPlan, use: TableUse) -> bool:
    """Whether the plan still seats the party where it sits. A table alone need only be
    in use and big enough: raising its smallest party leaves a couple already booked there
    where they are (the rule is for new bookings)."""
    if len(use.table_ids) == 1:
        table = plan.table(next(iter(use.table_ids)))
        return table.active and use.party_size <= table.max_covers
    try:
        plan.check_seating(use.table_ids, use.party_size)
    except InvalidInput:
        return False
    return True


def _tables(plan: FloorPlan, use: TableUse) -> str:
    return ("table " if len(use.table_ids) == 1 else "tables ") + plan.numbers(use.table_ids)


def refuse_stranding(
    before: FloorPlan,
    after: FloorPlan,
    uses: Iterable[TableUse],
    venue: Venue,
    what: str = "this combination",
) -> None:
    """Refuse an edit after which a booking that sat on its tables no longer would."""
    lost = sorted(
        (u for u in uses if _seats(before, u) and not _seats(after, u)), key=lambda u: u.start
    )
    if not lost:
        return
    described = "; ".join(
        f"{format_reference(u.reference)} ({_tables(before, u)}, party of "
        f"{u.party_size}, {venue.local(u.start):%a %d %b} {venue.show_time(u.start)})"
        for u in lost
    )
    if len(lost) == 1:
        message = f"Booking {described} relies on {what}; move it first."
    else:
        message = f"{len(lost)} bookings rely on {what}: {described}. Move them first."
    raise InvalidInput("bookings", message)
