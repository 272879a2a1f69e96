"""A party's spend set against the minimum spend of its tables.

Bars sell tables with a minimum spend (a booth for 8 with a £200 minimum); staff
record what the party spent from the till, and the desk shows how far they are from
the minimum. The minimum is the tables' as the plan has them now
(``FloorPlan.minimum_spend``: each table's, added up for joined tables); the spend
is the booking's own, recorded by ``record_spend`` (app.domain.kernel.spent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain.booking import Booking, BookingStatus
from app.domain.floorplan import FloorPlan
from app.domain.money import format_pence

S = BookingStatus
# A spend is recorded for a party that sat down: while they are at the table and after.
SPENDING = frozenset({S.SEATED, S.COMPLETED})


@dataclass(frozen=True, slots=True)
class Against:
    """One booking's spend against its minimum, in pence."""

    minimum_pence: int
    spend_pence: int | None

    @property
    def short_pence(self) -> int:
        """How much is still to spend to reach the minimum (0: met or none)."""
        return max(0, self.minimum_pence - (self.spend_pence or 0))

    @property
    def met(self) -> bool:
        return self.spend_pence is not None and self.short_pence == 0

    def words(self) -> str:
        """ "£150 spent of a £200 minimum (£50 to go)", as staff read it."""
        minimum = format_pence(self.minimum_pence)
        if self.spend_pence is None:
            return f"minimum spend {minimum}" if self.minimum_pence else ""
        spent = format_pence(self.spend_pence)
        if not self.minimum_pence:
            return f"{spent} spent"
        if self.met:
            return f"{spent} spent of a {minimum} minimum (met)"
        return f"{spent} spent of a {minimum} minimum ({format_pence(self.short_pence)} to go)"


def against(plan: FloorPlan, b: Booking) -> Against:
    """The booking's spend against its tables' minimum (none without tables)."""
    return Against(plan.minimum_spend(b.table_ids), b.spend_pence)


@dataclass(frozen=True, slots=True)
class NightSpend:
    """A night's minimum spends: what was asked, met, missed and not recorded."""

    with_minimum: int
    met: int
    short: int
    not_recorded: int
    short_pence: int
    spend_pence: int


NO_SPEND = NightSpend(0, 0, 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class MinimumLine:
    """A party that sat at tables sold with a minimum spend, and what it spent."""

    booking_id: str
    start: datetime
    reference: str
    guest: str
    tables: str
    against: Against


def minimum_lines(
    plan: FloorPlan, parties: Iterable[tuple[Booking, str]]
) -> tuple[MinimumLine, ...]:
    """Each party (booking, guest's name) that sat at tables with a minimum, in time order."""
    lines = [
        MinimumLine(b.id, b.start, b.reference, guest, plan.numbers(b.table_ids), a)
        for b, guest in parties
        if b.status in SPENDING and (a := against(plan, b)).minimum_pence
    ]
    return tuple(sorted(lines, key=lambda m: (m.start, m.reference)))


def night_spend(plan: FloorPlan, bookings: Iterable[Booking]) -> NightSpend:
    """The parties that sat down, their recorded spend and how the minimums went."""
    seated = [b for b in bookings if b.status in SPENDING]
    counts = {"with": 0, "met": 0, "short": 0, "none": 0}
    short_pence = 0
    for b in seated:
        a = against(plan, b)
        if not a.minimum_pence:
            continue
        counts["with"] += 1
        if a.spend_pence is None:
            counts["none"] += 1
        elif a.met:
            counts["met"] += 1
        else:
            counts["short"] += 1
            short_pence += a.short_pence
    return NightSpend(
        with_minimum=counts["with"],
        met=counts["met"],
        short=counts["short"],
        not_recorded=counts["none"],
        short_pence=short_pence,
        spend_pence=sum(b.spend_pence or 0 for b in seated),
    )
