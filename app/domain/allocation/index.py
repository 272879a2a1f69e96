"""Availability of one service night: a bitmask of busy slots per table.

The index is fed by the local change stream (``apply`` a booking that was
added or changed, ``remove`` one that went away) and only touches the tables
that booking holds, so queries never rebuild anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain.allocation.options import Catalogue, Option, Seating
from app.domain.allocation.slots import SlotClock, bits, run_starts, span_mask
from app.domain.allocation.symmetry import Symmetry, symmetry_of
from app.domain.booking import Booking
from app.domain.floorplan import FloorPlan


@dataclass(frozen=True, slots=True)
class Placed:
    """A booking that holds tables tonight, as the index sees it."""

    booking: Booking
    option: Option
    first: int
    end: int
    mask: int


@dataclass(frozen=True, slots=True)
class StartTime:
    start: datetime
    seating: Seating
    # Other bookings that would move to make room then (0: free as the plan stands).
    moves: int = 0


class AvailabilityIndex:
    def __init__(self, plan: FloorPlan, clock: SlotClock, bookings: Iterable[Booking] = ()) -> None:
        self.catalogue = Catalogue(plan)
        self.clock = clock
        count = len(self.catalogue.tables)
        self.busy: list[int] = [0] * count
        self.placed: dict[str, Placed] = {}
        self._on_table: list[set[str]] = [set() for _ in range(count)]
        # Tables held for a waitlist offer or another desk's open form.
        self.holds: dict[str, tuple[tuple[int, ...], int]] = {}
        self._symmetry: Symmetry | None = None
        for booking in bookings:
            self.apply(booking)

    @property
    def plan(self) -> FloorPlan:
        return self.catalogue.plan

    @property
    def symmetry(self) -> Symmetry:
        """Which tables are interchangeable (the floor plan's, computed once)."""
        if self._symmetry is None:
            self._symmetry = symmetry_of(self.catalogue)
        return self._symmetry

    def apply(self, booking: Booking) -> None:
        """Take in a booking that was added or changed (any status)."""
        self.remove(booking.id)
        if not booking.holds_tables:
            return
        option = self.catalogue.option_for(booking.table_ids)
        first, end = self.clock.span(booking.start, booking.duration_minutes)
        mask = span_mask(first, end)
        if option is None or not mask:
            return
        self.placed[booking.id] = Placed(booking, option, first, end, mask)
        for p in option.tables:
            self._on_table[p].add(booking.id)
            self.busy[p] |= mask

    def remove(self, booking_id: str) -> None:
        gone = self.placed.pop(booking_id, None)
        if gone is None:
            return
        for p in gone.option.tables:
            self._on_table[p].discard(booking_id)
            self.busy[p] = self._table_mask(p)

    def hold(self, key: str, table_ids: Iterable[str], start: datetime, minutes: int) -> None:
        """Keep tables out of every answer until ``release(key)``."""
        self.release(key)
        positions = tuple(self.catalogue.position[t] for t in table_ids)
        mask = span_mask(*self.clock.span(start, minutes))
        self.holds[key] = (positions, mask)
        for p in positions:
            self.busy[p] |= mask

    def release(self, key: str) -> None:
        gone = self.holds.pop(key, None)
        if gone is not None:
            for p in gone[0]:
                self.busy[p] = self._table_mask(p)

    def _table_mask(self, p: int, without: str | None = None) -> int:
        mask = 0
        for bid in self._on_table[p]:
            if bid != without:
                mask |= self.placed[bid].mask
        for positions, held in self.holds.values():
            if p in positions:
                mask |= held
        return mask

    def busy_without(self, booking_id: str | None) -> list[int]:
        """Busy masks as if ``booking_id`` held no table (it is being re-seated)."""
        placed = self.placed.get(booking_id) if booking_id else None
        if placed is None:
            return self.busy
        busy = list(self.busy)
        for p in placed.option.tables:
            busy[p] = self._table_mask(p, without=booking_id)
        return busy

    def free_options(
        self,
        party_size: int,
        start: datetime,
        minutes: int,
        vip: bool = False,
        exclude: str | None = None,
    ) -> list[Option]:
        """Every way the party can sit as the plan stands, best first."""
        mask = span_mask(*self.clock.span(start, minutes))
        busy = self.busy_without(exclude)
        return [o for o in self.catalogue.options(party_size, vip) if _free(busy, o, mask)]

    def can_seat(
        self,
        party_size: int,
        start: datetime,
        minutes: int,
        vip: bool = False,
        exclude: str | None = None,
    ) -> Seating | None:
        """The best tables for the party as the plan stands, or None."""
        mask = span_mask(*self.clock.span(start, minutes))
        busy = self.busy_without(exclude)
        for option in self.catalogue.options(party_size, vip):
            if _free(busy, option, mask):
                return option.seating
        return None

    def start_times(
        self,
        party_size: int,
        minutes: int,
        earliest: datetime,
        latest: datetime,
        vip: bool = False,
        exclude: str | None = None,
    ) -> list[StartTime]:
        """Every slot start from ``earliest`` to ``latest`` at which the party fits now."""
        first = self.clock.first_slot_from(earliest)
        last = self.clock.slot_of(latest)
        if last < first:
            return []
        length = self.clock.slots(minutes)
        wanted = span_mask(first, last + 1)
        room = span_mask(0, last + length)
        busy = self.busy_without(exclude)
        chosen: dict[int, Seating] = {}
        for option in self.catalogue.options(party_size, vip):
            taken = 0
            for p in option.tables:
                taken |= busy[p]
            starts = run_starts(room & ~taken, length) & wanted
            for slot in bits(starts):
                chosen[slot] = option.seating
            wanted &= ~starts
            if not wanted:
                break
        return [StartTime(self.clock.at(s), chosen[s]) for s in sorted(chosen)]


def _free(busy: list[int], option: Option, mask: int) -> bool:
    return all(not busy[p] & mask for p in option.tables)
