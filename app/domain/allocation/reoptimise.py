"""Night re-optimisation (a manager's action): seat every booking and as many
waitlisted parties as possible, moving as few bookings as possible.

Waitlisted parties are let in one at a time, each by the fewest-move chain if
one exists, else by an exact re-pack; several orders are tried (priority,
smallest party, least table time) while the time budget lasts and the plan
seating the most parties (then the most priority) wins. Nothing is applied:
the result is a plan of moves and promotions for staff to look at.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from app.domain.allocation.chains import fewest_moves
from app.domain.allocation.engine import Engine
from app.domain.allocation.moves import Move
from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job, pack
from app.domain.allocation.repack import (
    Night,
    keep_in_place,
    moves_between,
    night_of,
    symmetry_for,
)
from app.domain.booking import Booking


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
    started = timer()
    index = engine.index
    night = night_of(index, engine.vip_of)
    wanted = {b.id: b for b in waitlisted}
    waiting = [_job(engine, b) for b in waitlisted]
    orders = [
        sorted(waiting, key=lambda j: (-wanted[j.key].priority_score, j.key)),
        sorted(waiting, key=lambda j: (j.party_size, -wanted[j.key].priority_score, j.key)),
        sorted(waiting, key=lambda j: ((j.end - j.first) * j.party_size, j.key)),
    ]
    best: tuple[tuple[int, int], dict[str, Option]] | None = None
    for n, order in enumerate(orders):
        if n and timer() - started > budget_seconds:
            break
        placed = _admit_in_order(night.fixed, night.jobs, order, engine)
        promoted = [wanted[k].priority_score for k in placed if k in wanted]
        score = (len(promoted), sum(promoted))
        if best is None or score > best[0]:
            best = (score, placed)
    assert best is not None
    return _plan(best[1], night, wanted)


def _job(engine: Engine, booking: Booking) -> Job:
    first, end = engine.index.clock.span(booking.start, booking.duration_minutes)
    options = engine.index.catalogue.options(booking.party_size, engine.vip_of(booking))
    return Job(booking.id, first, end, options, None, booking.party_size)


def _admit_in_order(
    fixed: list[int], base: list[Job], order: Sequence[Job], engine: Engine
) -> dict[str, Option]:
    """Let each waitlisted party in if the night can still be packed; returns every position."""
    jobs = {j.key: j for j in base}
    for newcomer in order:
        chain = fewest_moves(fixed, list(jobs.values()), newcomer)
        if chain is None:
            trial = [*jobs.values(), newcomer]
            result = pack(
                fixed,
                trial,
                symmetry_for(engine.index, trial),
                engine.node_limit,
                (newcomer.first, newcomer.end),
            )
            if result.assignment is None:
                continue
            chain = keep_in_place(result.assignment, trial, fixed)
        for key, option in chain.items():
            job = jobs.get(key, newcomer)
            jobs[key] = replace(job, current=option, options=_first(option, job.options))
    return {k: j.current for k, j in jobs.items() if j.current is not None}


def _first(option: Option, options: tuple[Option, ...]) -> tuple[Option, ...]:
    return (option, *(o for o in options if o.tables != option.tables))


def _plan(positions: dict[str, Option], night: Night, wanted: dict[str, Booking]) -> NightPlan:
    placed = night.placed
    base = {k: v for k, v in positions.items() if k in placed}
    promotions = tuple(
        Promotion(k, o.table_ids, o.seating.combined)
        for k, o in sorted(positions.items())
        if k in wanted
    )
    waiting = tuple(k for k in wanted if k not in positions)
    return NightPlan(moves_between(base, placed), promotions, waiting)
