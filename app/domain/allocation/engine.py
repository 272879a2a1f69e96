"""The booking decision: seat, seat after moving others, offer nearby times, or waitlist.

Table numbers of bookings not yet seated are provisional. When a party does
not fit as the plan stands, the engine asks whether a re-pack of the unseated
bookings could seat it (``packing.Repack``): first the cheap proofs that it
cannot, then the shortest chain of moves (at most three, fewest first), then
the exact search. A party is only turned away on a proof, or, rarely, when
the search budget runs out, which the decision says (``undecided``) so that
the desk can offer the waitlist and say it could not decide quickly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from app.domain.allocation.chains import fewest_moves
from app.domain.allocation.index import AvailabilityIndex, StartTime
from app.domain.allocation.moves import Move
from app.domain.allocation.options import Seating
from app.domain.allocation.packing import Job, Repack
from app.domain.allocation.relabel import settle
from app.domain.allocation.repack import (
    VipOf,
    moves_between,
    never_vip,
    night_of,
    symmetry_for,
)
from app.domain.allocation.simple import SeatingRequest
from app.domain.allocation.slots import SlotClock
from app.domain.booking import Booking
from app.domain.floorplan import FloorPlan

REQUEST = "\x00request"
NIGHT_NODE_LIMIT = 10_000
# Nearby times tried with a short chain of moves when the free ones are further away:
# how many, how many moves at most, and the chain search's nodes for each.
NEAREST_WITH_MOVES = 4
NEAREST_MAX_MOVES = 2
NEAREST_CHAIN_NODES = 300


class DecisionKind(StrEnum):
    SEAT = "seat"
    SEAT_WITH_MOVES = "seat_with_moves"
    NEAREST_TIMES = "nearest_times"
    WAITLIST = "waitlist"


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    seating: Seating | None = None
    moves: tuple[Move, ...] = ()
    times: tuple[StartTime, ...] = ()
    reason: str = ""
    # The search ran out of budget: a re-pack might still seat the party.
    undecided: bool = False


class Engine:
    """The allocation engine for one service night, kept current by the change stream."""

    def __init__(
        self,
        plan: FloorPlan,
        clock: SlotClock,
        bookings: Iterable[Booking] = (),
        vip_of: VipOf = never_vip,
        nearest_horizon: timedelta = timedelta(hours=2),
        node_limit: int = NIGHT_NODE_LIMIT,
    ) -> None:
        self.node_limit = node_limit
        self.index = AvailabilityIndex(plan, clock, bookings)
        self.vip_of = vip_of
        self.nearest_horizon = nearest_horizon

    @property
    def plan(self) -> FloorPlan:
        return self.index.plan

    def apply(self, booking: Booking) -> None:
        self.index.apply(booking)

    def remove(self, booking_id: str) -> None:
        self.index.remove(booking_id)

    def decide(
        self,
        request: SeatingRequest,
        now: datetime,
        window: tuple[datetime, datetime] | None = None,
        nearest: int = 3,
    ) -> Decision:
        index = self.index
        options = index.catalogue.options(request.party_size, request.vip)
        if not options:
            return Decision(
                DecisionKind.WAITLIST,
                reason=f"No table or combination here seats a party of {request.party_size}.",
            )
        seating = index.can_seat(
            request.party_size,
            request.start,
            request.duration_minutes,
            request.vip,
            exclude=request.booking_id,
        )
        if seating is not None:
            return Decision(DecisionKind.SEAT, seating)
        first, end = index.clock.span(request.start, request.duration_minutes)
        job = Job(REQUEST, first, end, options, None, request.party_size)
        found, complete = self.repair(job, request.booking_id)
        if found is not None:
            return found
        times = self.nearest_times(request, now, window, nearest)
        party = request.party_size
        if not complete:
            reason = (
                f"Couldn't decide quickly whether moving other bookings would seat a party "
                f"of {party} then; offer the waitlist (or a nearby time) and say so."
            )
        elif times:
            reason = f"No re-arrangement seats a party of {party} then."
        else:
            reason = f"Nothing seats a party of {party} near that time."
        return Decision(
            DecisionKind.NEAREST_TIMES if times else DecisionKind.WAITLIST,
            times=times,
            reason=reason,
            undecided=not complete,
        )

    def repair(self, job: Job, exclude: str | None) -> tuple[Decision | None, bool]:
        """Seat ``job`` by moving unseated bookings: a short chain if one exists, else a
        re-pack. Also says whether the answer is certain (False: the budget ran out)."""
        index = self.index
        night = night_of(index, self.vip_of, exclude)
        jobs = [*night.jobs, job]
        repack = Repack(
            night.fixed, jobs, symmetry_for(index, jobs), (job.first, job.end), focus=REQUEST
        )
        if repack.impossible():
            return None, True
        near = [j for j in repack.jobs if j.key != REQUEST]
        chain = fewest_moves(night.fixed, near, job)
        if chain is not None:
            seating = chain.pop(REQUEST).seating
            return Decision(
                DecisionKind.SEAT_WITH_MOVES, seating, moves_between(chain, night.placed)
            ), True
        result = repack.solve(self.node_limit)
        if result.assignment is None:
            return None, result.complete
        kept = settle(result.assignment, jobs, night.fixed, symmetry_for(index, jobs))
        seating = kept.pop(REQUEST).seating
        return Decision(
            DecisionKind.SEAT_WITH_MOVES, seating, moves_between(kept, night.placed)
        ), True

    def nearest_times(
        self,
        request: SeatingRequest,
        now: datetime,
        window: tuple[datetime, datetime] | None,
        count: int,
    ) -> tuple[StartTime, ...]:
        earliest = max(request.start - self.nearest_horizon, now)
        latest = request.start + self.nearest_horizon
        if window is not None:
            earliest = max(earliest, window[0])
            latest = min(latest, window[1] - timedelta(minutes=request.duration_minutes))
        found = self.index.start_times(
            request.party_size,
            request.duration_minutes,
            earliest,
            latest,
            request.vip,
            exclude=request.booking_id,
        )

        def distance(t: StartTime) -> tuple[timedelta, bool]:
            return abs(t.start - request.start), t.start < request.start

        found.sort(key=distance)
        nearer_than = distance(found[count - 1]) if len(found) >= count else None
        found += self._times_with_moves(request, earliest, latest, found, nearer_than)
        found.sort(key=distance)
        return tuple(sorted(found[:count], key=lambda t: t.start))

    def _times_with_moves(
        self,
        request: SeatingRequest,
        earliest: datetime,
        latest: datetime,
        free: list[StartTime],
        nearer_than: tuple[timedelta, bool] | None,
    ) -> list[StartTime]:
        """Slot starts nearer than the free times at which a short chain of moves makes
        room (a few, each with a small budget: a nearby time is advice, not a proof)."""
        clock = self.index.clock
        first = clock.first_slot_from(earliest)
        taken = {t.start for t in free}
        candidates = []
        for slot in range(first, clock.slot_of(latest) + 1):
            start = clock.at(slot)
            key = (abs(start - request.start), start < request.start)
            nearer = nearer_than is None or key < nearer_than
            if nearer and start != request.start and start not in taken:
                candidates.append((key, start))
        candidates.sort()
        if not candidates:
            return []
        index = self.index
        night = night_of(index, self.vip_of, request.booking_id)
        options = index.catalogue.options(request.party_size, request.vip)
        found = []
        for _, start in candidates[:NEAREST_WITH_MOVES]:
            begin, end = clock.span(start, request.duration_minutes)
            job = Job(REQUEST, begin, end, options, None, request.party_size)
            chain = fewest_moves(
                night.fixed, night.jobs, job, NEAREST_MAX_MOVES, NEAREST_CHAIN_NODES
            )
            if chain is not None:
                seating = chain.pop(REQUEST).seating
                found.append(StartTime(start, seating, len(chain)))
        return found


def clock_for(
    bookings: Iterable[Booking], request: SeatingRequest, slot_minutes: int = 15
) -> SlotClock:
    """A slot clock starting at or before everything in view, aligned to whole slots."""
    earliest = min([request.start, *(b.start for b in bookings)])
    seconds = int(earliest.timestamp())
    size = slot_minutes * 60
    return SlotClock(datetime.fromtimestamp(seconds - seconds % size, UTC), slot_minutes)


def decide(
    plan: FloorPlan,
    bookings: Iterable[Booking],
    request: SeatingRequest,
    now: datetime,
    vip_of: VipOf = never_vip,
    window: tuple[datetime, datetime] | None = None,
) -> Decision:
    """One decision without a kept engine (builds the index from ``bookings``)."""
    listed = list(bookings)
    engine = Engine(plan, clock_for(listed, request), listed, vip_of)
    return engine.decide(request, now, window)
