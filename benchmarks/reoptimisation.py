"""Re-optimisation benchmark nights: 40 tables, a night booked in advance, a few
cancellations, 15 waitlisted parties; the engine's first plan and best plan in 3 s
against CP-SAT's most seated and its fewest moves for the engine's choice of parties."""

from __future__ import annotations

import gc
import random
import time
from dataclasses import replace

from app.domain.allocation import Engine
from app.domain.allocation.packing import Job
from app.domain.allocation.reoptimise import NightPlan, reoptimise
from app.domain.allocation.repack import Night, night_of, table_keys
from app.domain.booking import Booking, BookingStatus
from benchmarks.booking_night import booking, booking_phase, ms
from benchmarks.exact import solve_by_twins
from benchmarks.nights import PACKED_LOAD, floor, night
from tests.oracles.exact import solve

WAITLISTED = 15
BEST_SECONDS = 3.0


def reoptimisation(venue, nights: list[tuple[bool, int]], cp_sat_seconds: float) -> None:
    """``nights``: (packed, seed) pairs. Two-wave nights hold ~90 bookings, packed ~150."""
    print(f"\n## Re-optimisation (40 tables, {WAITLISTED} waitlisted; CPU time)")
    print(
        "  night | bookings | first plan: ms seated moves | best in 3 s: ms seated moves"
        " | CP-SAT most seated | CP-SAT fewest moves for the engine's parties"
    )
    plan = floor(40)
    firsts, fulls, misses = [], [], 0
    for packed, seed in nights:
        engine, waiting = _night(venue, plan, packed, seed)
        gc.collect()
        first, t_first = _timed(lambda e=engine, w=waiting: reoptimise(e, w, 0.0))
        full, t_full = _timed(lambda e=engine, w=waiting: reoptimise(e, w, BEST_SECONDS))
        firsts.append(t_first)
        fulls.append(t_full)
        before = night_of(engine.index, engine.vip_of)
        extra = [_job(engine, b) for b in waiting]
        most, status = _most_seated(engine, before, extra, cp_sat_seconds)
        least = _fewest_moves(before, extra, full, cp_sat_seconds)
        misses += most is not None and full.seated < most
        print(
            f"  {'packed' if packed else 'waves '} {seed} | {len(engine.index.placed):>8} | "
            f"{ms(t_first):>9} {first.seated:>2} {len(first.moves):>3} | "
            f"{ms(t_full):>9} {full.seated:>2} {len(full.moves):>3} | "
            f"{most if most is not None else '?'} ({status}) | {least}"
        )
    print(
        f"\n  first plan: max {ms(max(firsts))} (floor 200 ms); best plan: max {ms(max(fulls))};"
        f" nights where the best plan seats fewer than CP-SAT's most: {misses} (floor 0)"
    )


def _night(venue, plan, packed: bool, seed: int) -> tuple[Engine, list[Booking]]:
    """Everyone booked in advance is still unseated; then some cancel, which is what makes
    room for the waitlist."""
    requests = night(venue, plan, PACKED_LOAD if packed else 2.4, seed, packed=packed)
    pre = [replace(r, no_show=False, cancels=False) for r in requests if not r.walk_in]
    out = booking_phase(venue, plan, pre)
    engine = out.engine
    assert engine is not None
    rng = random.Random(seed)
    share = 0.05 if packed else 0.1
    for key in sorted(engine.index.placed):
        if rng.random() < share:
            engine.remove(key)
    rng.shuffle(out.refused)
    waiting = [
        replace(
            booking(r, (), False),
            status=BookingStatus.WAITLISTED,
            priority_score=rng.randrange(0, 600),
        )
        for r in out.refused[:WAITLISTED]
    ]
    return engine, waiting


def _timed(run) -> tuple[NightPlan, float]:
    started = time.process_time()
    result = run()
    return result, time.process_time() - started


def _job(engine: Engine, b: Booking) -> Job:
    first, end = engine.index.clock.span(b.start, b.duration_minutes)
    options = engine.index.catalogue.options(b.party_size, engine.vip_of(b))
    return Job(b.id, first, end, options, None, b.party_size)


def _most_seated(engine, before: Night, extra: list[Job], seconds: float) -> tuple[int | None, str]:
    every = [*before.jobs, *extra]
    pooled = solve_by_twins(
        before.fixed,
        every,
        table_keys(engine.index, every),
        {j.key for j in before.jobs},
        {j.key: 1 for j in extra},
        seconds,
    )
    if not pooled.found:
        return None, pooled.status
    return sum(1 for j in extra if j.key in pooled.assignment), pooled.status


def _fewest_moves(before: Night, extra: list[Job], plan: NightPlan, seconds: float) -> str:
    promoted = {p.booking_id for p in plan.promotions}
    every = [*before.jobs, *(j for j in extra if j.key in promoted)]
    exact = solve(before.fixed, every, fewest_moves=True, time_limit=seconds)
    if not exact.found:
        return f"? ({exact.status})"
    least = sum(
        1
        for j in before.jobs
        if j.current is not None and exact.assignment[j.key].tables != j.current.tables
    )
    return f"{least} ({exact.status})"
