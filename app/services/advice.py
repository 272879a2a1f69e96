"""What the booking form shows while staff type: tables that fit, nearest times, deposit.

The form reads one small ``BookingOptions``; the allocation engine can make the
choices richer (proposed moves, better alternatives) behind ``Queries.suggest``
without the form changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.allocation import Seating, SeatingRequest, allowed, busy_table_ids
from app.domain.booking import Source
from app.domain.errors import InvalidInput
from app.services.queries import Queries

# How far either side of the asked time the form looks for a free table.
SEARCH_WINDOW = timedelta(hours=2)
MAX_ALTERNATIVES = 4


@dataclass(frozen=True, slots=True)
class BookingOptions:
    party_size: int
    start: datetime
    duration_minutes: int
    # What saving would do: the allocator's choice, or None for the waitlist.
    best: Seating | None
    # Every free table or combination that seats the party at that time.
    fitting: tuple[Seating, ...]
    # Other start times that night with a free table, nearest first.
    nearest_times: tuple[datetime, ...]
    deposit_pence: int
    # Why the party cannot be booked at all at that time (closed, too big), if so.
    problem: str = ""

    @property
    def waitlist(self) -> bool:
        return self.best is None


class BookingAdvice:
    def __init__(self, queries: Queries) -> None:
        self.queries = queries

    def options(
        self,
        party_size: int,
        start: datetime,
        duration_minutes: int | None = None,
        vip: bool = False,
        source: Source = Source.PHONE,
    ) -> BookingOptions:
        bundle = self.queries.venue()
        venue, plan = bundle.venue, bundle.plan
        minutes = duration_minutes or venue.default_duration(max(1, party_size))
        problem = ""
        if party_size < 1:
            problem = "A party needs at least one guest."
        elif party_size > plan.largest_party():
            problem = (
                f"No table or combination seats {party_size} (largest {plan.largest_party()})."
            )
        else:
            try:
                venue.check_open(start, minutes)
            except InvalidInput as error:
                problem = str(error)
        if problem:
            return BookingOptions(party_size, start, minutes, None, (), (), 0, problem)
        suggestion = self.queries.suggest(party_size, start, minutes, vip, source)
        fitting = self._fitting(party_size, start, minutes, vip)
        nearest = () if suggestion.seating else self._nearest(party_size, start, minutes, vip)
        return BookingOptions(
            party_size,
            start,
            suggestion.duration_minutes,
            suggestion.seating,
            fitting,
            nearest,
            suggestion.deposit_pence,
        )

    def _fitting(
        self, party_size: int, start: datetime, minutes: int, vip: bool
    ) -> tuple[Seating, ...]:
        bundle = self.queries.venue()
        plan = bundle.plan
        day = bundle.venue.service_day(start)
        bookings = [
            v.booking for d in (day - timedelta(days=1), day) for v in self.queries.bookings_on(d)
        ]
        request = SeatingRequest(party_size, start, minutes, vip)
        busy = busy_table_ids(bookings, request)
        singles = [
            Seating((t.id,))
            for t in sorted(plan.tables, key=lambda t: (t.max_covers, t.number))
            if t.id not in busy and allowed(t, plan, request) and t.fits(party_size)
        ]
        combos = [
            Seating(tuple(sorted(c.table_ids, key=lambda tid: plan.table(tid).number)), c)
            for c in plan.combinations
            if c.fits(party_size)
            and not c.table_ids & busy
            and all(allowed(plan.table(tid), plan, request) for tid in c.table_ids)
        ]
        return (*singles, *combos)

    def _nearest(
        self, party_size: int, start: datetime, minutes: int, vip: bool
    ) -> tuple[datetime, ...]:
        venue = self.queries.venue().venue
        step = timedelta(minutes=venue.slot_minutes)
        found: list[datetime] = []
        offset = step
        while offset <= SEARCH_WINDOW and len(found) < MAX_ALTERNATIVES:
            for candidate in (start - offset, start + offset):
                try:
                    venue.check_open(candidate, minutes)
                except InvalidInput:
                    continue
                if self.queries.suggest(party_size, candidate, minutes, vip).seating:
                    found.append(candidate)
            offset += step
        return tuple(found[:MAX_ALTERNATIVES])
