"""A service night cut into slots, and bitmasks of slots.

Bit ``i`` of a mask is the slot that starts ``i * slot_minutes`` after the
night's origin. A booking occupies every slot it touches, so a booking that
does not start on a slot boundary still never shares a slot with another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.venue import Venue, to_utc


@dataclass(frozen=True, slots=True)
class SlotClock:
    origin: datetime
    slot_minutes: int = 15

    @classmethod
    def for_night(cls, venue: Venue, day: date) -> SlotClock:
        start, _ = venue.service_window(day)
        return cls(start, venue.slot_minutes)

    def slot_of(self, instant: datetime) -> int:
        """The slot an instant falls in (rounded down)."""
        seconds = (to_utc(instant) - self.origin).total_seconds()
        return int(seconds // (self.slot_minutes * 60))

    def first_slot_from(self, instant: datetime) -> int:
        """The first slot that starts at or after an instant (rounded up)."""
        seconds = int((to_utc(instant) - self.origin).total_seconds())
        return -(-seconds // (self.slot_minutes * 60))

    def span(self, start: datetime, minutes: int) -> tuple[int, int]:
        """First slot and the slot after the last one that ``start + minutes`` touches."""
        first = self.slot_of(start)
        end_seconds = (to_utc(start) - self.origin).total_seconds() + minutes * 60
        size = self.slot_minutes * 60
        end = -int(-end_seconds // size)
        return first, max(end, first + 1)

    def at(self, slot: int) -> datetime:
        return self.origin + timedelta(minutes=slot * self.slot_minutes)

    def slots(self, minutes: int) -> int:
        return -(-minutes // self.slot_minutes)


def span_mask(first: int, end: int) -> int:
    """Bits ``first`` up to (not including) ``end``; slots before the origin are dropped."""
    first = max(first, 0)
    if end <= first:
        return 0
    return ((1 << (end - first)) - 1) << first


def run_starts(free: int, length: int) -> int:
    """Bits ``s`` of ``free`` such that ``s … s + length - 1`` are all set."""
    result = free
    have = 1
    # Doubling: after each step, bit s means a run of ``have`` free slots starts at s.
    while have < length:
        step = min(have, length - have)
        result &= result >> step
        have += step
    return result


def bits(mask: int) -> list[int]:
    out: list[int] = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out
