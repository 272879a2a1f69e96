"""Night re-optimisation (a manager's action): seat every booking and as many waitlisted
parties as possible, moving as few bookings as possible.

The first plan lets waitlisted parties in one at a time, highest priority
first, each by the fewest-move chain if one exists, else by an exact re-pack
(``admission``), with a small search budget each. While the time budget
lasts, the plan is then improved (``improve``): other orders, and exchanges
that take one party off the plan to let others in, until no exchange helps.
Plans compare by how many parties they seat, then by their priority. The
rest of the budget goes to moving fewer bookings for the same parties: they
are let in again from the night as it was in other orders (``readmit``),
since the order decides which bookings the chains move; then parties on twin
tables are dealt out again each to its own table where possible
(``relabel``), bookings whose own tables are free go back, a moved booking
goes home by the shortest chain that makes room when fewer bookings end up
moved, and finally by a re-pack of the others out of place (``homing``).
Nothing is applied: the result is a plan of moves and promotions for staff to
look at.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.domain.allocation.admission import Admission, Seated
from app.domain.allocation.engine import Engine
from app.domain.allocation.homing import send_home
from app.domain.allocation.moves import Move
from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job
from app.domain.allocation.repack import (
    Night,
    keep_in_place,
    moves_between,
    night_of,
    symmetry_for,
)
from app.domain.booking import Booking

# Search budget per party for the first plan: a party that would need more is left
# for the improvement rounds (or stays on the waitlist).
FIRST_PLAN_NODES = 1_000
# Share of the budget the exchanges may use before the rest goes to fewer moves.
EXCHANGE_SHARE = 0.6
READMIT_SHARE = 0.85
# Orders tried by ``readmit``: three by rule, then shuffles (seeded, so plans repeat).
READMIT_ORDERS = 40


@dataclass(frozen=True, slots=True)
class Promotion:
    booking_id: str
    table_ids: tuple[str, ...]
    combined: bool


@dataclass(frozen=True, slots=True)
class NightPlan:
    moves: tuple[Move, ...]
    promotions: tuple[Promotion, ...]
    still_waiting: tuple[str, ...]

    @property
    def seated(self) -> int:
        return len(self.promotions)


def reoptimise(
    engine: Engine,
    waitlisted: Sequence[Booking],
    budget_seconds: float = 1.0,
    timer: Callable[[], float] = time.perf_counter,
) -> NightPlan:
    """The first plan at once; with a budget, the best plan found in that time."""
    started = timer()
    deadline = started + budget_seconds
    # Seating more parties comes first, but a plan is only as good as its moves are few:
    # the exchanges stop here and leave the rest of the budget to undoing moves.
    exchanges_end = started + budget_seconds * EXCHANGE_SHARE
    readmit_end = started + budget_seconds * READMIT_SHARE
    night = night_of(engine.index, engine.vip_of)
    wanted = {b.id: b for b in waitlisted}
    waiting = [_job(engine, b) for b in waitlisted]
    priority = {j.key: wanted[j.key].priority_score for j in waiting}
    by_priority = sorted(waiting, key=lambda j: (-priority[j.key], j.key))
    quick = Admission(engine, night, FIRST_PLAN_NODES, prices=False)
    best = quick.admit_all(quick.start(), by_priority)
    positions = quick.tidy(best.positions, best.jobs.values())
    if budget_seconds <= 0:
        return _plan(positions, night, waiting, wanted)
    admission = Admission(engine, night)
    best = improve(admission, best, waiting, priority, lambda: timer() < exchanges_end)

    def time_left() -> bool:
        return timer() < deadline

    best = readmit(quick, best, waiting, lambda: timer() < readmit_end)
    positions = admission.tidy(best.positions, best.jobs.values())
    if time_left():
        positions = admission.fewer_moves(best, positions, time_left)
    if time_left():
        symmetry = symmetry_for(engine.index, best.jobs.values())
        positions = send_home(
            admission.fixed, best.jobs, admission.original, positions, symmetry, time_left
        )
    return _plan(positions, night, waiting, wanted)


def improve(
    admission: Admission,
    best: Seated,
    waiting: Sequence[Job],
    priority: dict[str, int],
    time_left: Callable[[], bool],
) -> Seated:
    """Better plans while there is time: other orders, then exchanges, until none helps."""

    def score(plan: Seated) -> tuple[int, int]:
        return (len(plan.promoted), sum(priority[k] for k in plan.promoted))

    orders = [
        sorted(waiting, key=lambda j: (j.party_size, -priority[j.key], j.key)),
        sorted(waiting, key=lambda j: ((j.end - j.first) * j.party_size, j.key)),
    ]
    for order in orders:
        if not time_left() or len(best.promoted) == len(waiting):
            return best
        plan = admission.admit_all(admission.start(), order, time_left)
        if score(plan) > score(best):
            best = plan
    improved = True
    while improved and time_left() and len(best.promoted) < len(waiting):
        improved = False
        outside = [j for j in waiting if j.key not in best.promoted]
        outside.sort(key=lambda j: (j.party_size, -priority[j.key], j.key))
        # Take off the cheapest promoted party first: lowest priority, then largest.
        inside = sorted(best.promoted, key=lambda k: (priority[k], -best.jobs[k].party_size, k))
        for key in inside:
            if not time_left():
                break
            trial = admission.admit_all(best.without(key), outside, time_left)
            if score(trial) > score(best):
                best = trial
                improved = True
                break
    return best


def readmit(
    admission: Admission, best: Seated, waiting: Sequence[Job], time_left: Callable[[], bool]
) -> Seated:
    """The same parties let into the night again in other orders, from the night as it
    was: each comes in by its shortest chain where it has one, so the order decides
    which bookings move. The plan that moves fewest bookings wins."""

    def moves(plan: Seated) -> int:
        return admission.moves(admission.tidy(plan.positions, plan.jobs.values()))

    chosen = [j for j in waiting if j.key in best.promoted]
    orders = [
        sorted(chosen, key=lambda j: (-j.party_size, j.first, j.key)),
        sorted(chosen, key=lambda j: (j.first, j.key)),
        sorted(chosen, key=lambda j: (-(j.end - j.first), j.key)),
    ]
    shuffled = random.Random(len(chosen))
    fewest = moves(best)
    n = 0
    while fewest and time_left() and n < READMIT_ORDERS:
        order = orders[n] if n < len(orders) else shuffled.sample(chosen, len(chosen))
        n += 1
        plan = admission.admit_each(admission.start(), order, time_left)
        if plan is not None and (moved := moves(plan)) < fewest:
            best, fewest = plan, moved
    return best


def _job(engine: Engine, booking: Booking) -> Job:
    first, end = engine.index.clock.span(booking.start, booking.duration_minutes)
    options = engine.index.catalogue.options(booking.party_size, engine.vip_of(booking))
    return Job(booking.id, first, end, options, None, booking.party_size)


def _plan(
    positions: dict[str, Option],
    night: Night,
    waiting: Sequence[Job],
    wanted: dict[str, Booking],
) -> NightPlan:
    placed = night.placed
    kept = keep_in_place(positions, [*night.jobs, *waiting], night.fixed)
    base = {k: v for k, v in kept.items() if k in placed}
    promotions = tuple(
        Promotion(k, o.table_ids, o.seating.combined)
        for k, o in sorted(kept.items())
        if k in wanted
    )
    waiting = tuple(k for k in wanted if k not in kept)
    return NightPlan(moves_between(base, placed), promotions, waiting)
