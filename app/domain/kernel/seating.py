"""Which tables a booking names, and whether they seat it: one definition each."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.errors import InvalidInput, NotFound, SeatingRefused
from app.domain.floorplan import FloorPlan


def canonical_tables(plan: FloorPlan, table_ids: Iterable[str]) -> tuple[str, ...]:
    """The tables once each, in id order, every one a table of this venue."""
    ids = tuple(sorted({str(t) for t in table_ids}))
    for table_id in ids:
        try:
            plan.table(table_id)
        except NotFound:
            raise NotFound(f"There is no table {table_id} in this venue.") from None
    return ids


def is_combined(plan: FloorPlan, table_ids: Iterable[str]) -> bool:
    """A booking is combined when its tables are one of the venue's combinations."""
    return plan.combination_for(table_ids) is not None


def check_seats(plan: FloorPlan, table_ids: tuple[str, ...], party_size: int) -> None:
    """The tables seat the party (a table's covers, or a combination's party range)."""
    try:
        plan.check_seating(table_ids, party_size)
    except InvalidInput as refused:
        raise SeatingRefused(str(refused)) from None
