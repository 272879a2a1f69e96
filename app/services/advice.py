"""What the booking form shows while staff type: tables that fit, nearest times, deposit.

The form reads one small ``BookingOptions``; the allocation engine can make the
choices richer (proposed moves, better alternatives) behind ``Queries.suggest``
without the form changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.allocation import Seating, SeatingRequest, allowed, busy_table_ids
from app.domain.booking import Booking, Source
from app.domain.deposits import price
from app.domain.errors import InvalidInput
from app.domain.limits import check_duration, check_party_size
from app.domain.rules import VenueRules
from app.services.common import night_bookings
from app.services.queries import Queries
from app.services.seating import decision_for, move_sentences

MAX_ALTERNATIVES = 4


@dataclass(frozen=True, slots=True)
class NearbyTime:
    start: datetime
    # Unseated bookings that would move to make room then (0: free as it stands).
    moves: int = 0


@dataclass(frozen=True, slots=True)
class BookingOptions:
    party_size: int
    start: datetime
    duration_minutes: int
    # What saving would do: the allocator's choice, or None for the waitlist.
    best: Seating | None
    # Every free table or combination that seats the party at that time.
    fitting: tuple[Seating, ...]
    # Other start times that night with room, in time order.
    nearest_times: tuple[NearbyTime, ...]
    deposit_pence: int
    # Why the party cannot be booked at all at that time (closed, too big), if so.
    problem: str = ""
    # Unseated bookings the engine would move so that ``best`` is free, in staff words.
    moves: tuple[str, ...] = ()
    # The minimum spend the tables of ``best`` ask, in pence (app.domain.spend).
    minimum_pence: int = 0

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
        try:
            check_party_size(party_size, plan.largest_party())
            check_duration(minutes)
            venue.check_open(start, minutes)
        except InvalidInput as error:
            problem = str(error)
        if problem:
            return BookingOptions(party_size, start, minutes, None, (), (), 0, problem)
        request = SeatingRequest(party_size, start, minutes, vip)
        with self.queries.store.read() as reader:
            bookings = night_bookings(reader, bundle, start)
            decision = decision_for(reader, bundle, request, self.queries.clock())
            moves = tuple(move_sentences(reader, bundle, decision.moves))
        day = venue.service_day(start)
        return BookingOptions(
            party_size,
            start,
            minutes,
            decision.seating,
            _fitting(bundle, bookings, request),
            tuple(NearbyTime(t.start, t.moves) for t in decision.times[:MAX_ALTERNATIVES]),
            price(
                bundle.deposits, party_size=party_size, service_day=day, vip=vip, source=source
            ).pence,
            moves=moves,
            minimum_pence=plan.minimum_spend(decision.seating.table_ids)
            if decision.seating is not None
            else 0,
        )


def _fitting(
    bundle: VenueRules, bookings: list[Booking], request: SeatingRequest
) -> tuple[Seating, ...]:
    """Every table or combination free for the whole stay, smallest first."""
    plan = bundle.plan
    busy = busy_table_ids(bookings, request)
    singles = [
        Seating((t.id,))
        for t in sorted(plan.tables, key=lambda t: (t.max_covers, t.number))
        if t.id not in busy and allowed(t, plan, request) and t.fits(request.party_size)
    ]
    combos = [
        Seating(tuple(sorted(c.table_ids, key=lambda tid: plan.table(tid).number)), c)
        for c in plan.combinations
        if c.fits(request.party_size)
        and not c.table_ids & busy
        and all(allowed(plan.table(tid), plan, request) for tid in c.table_ids)
    ]
    return (*singles, *combos)
