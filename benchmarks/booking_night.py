"""A booking night played through the engine (or locked best fit), with every refusal
checked against CP-SAT: shared by the allocation and re-optimisation benchmarks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from app.domain.allocation import DecisionKind, Engine, SeatingRequest, SlotClock
from app.domain.allocation.engine import REQUEST
from app.domain.allocation.packing import Job
from app.domain.allocation.repack import night_of, table_keys
from app.domain.booking import Booking, BookingStatus
from benchmarks.exact import solve_by_twins
from benchmarks.nights import NIGHT, Request

CREATED = datetime(2026, 11, 1, tzinfo=UTC)


def booking(r: Request, table_ids: tuple[str, ...], combined: bool) -> Booking:
    return Booking(
        r.key,
        "v",
        "REF",
        f"c-{r.key}",
        r.party_size,
        r.start,
        r.minutes,
        BookingStatus.CONFIRMED,
        CREATED,
        CREATED,
        table_ids,
        combined,
    )


@dataclass
class Outcome:
    covers: int = 0
    # Wall-clock and CPU seconds per decision.
    decisions: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    refusals: int = 0
    # Refusals after a completed search that CP-SAT could seat by re-packing.
    false_refusals: int = 0
    # "Couldn't decide quickly": the search budget ran out (not a proof) ...
    undecided: int = 0
    # ... and of those, how many CP-SAT could seat.
    undecided_seatable: int = 0
    unknown: int = 0
    moves: int = 0
    engine: Engine | None = None
    refused: list[Request] = field(default_factory=list)


def simulate(venue, plan, requests, repair: bool, check_exact: bool = False) -> Outcome:
    clock = SlotClock.for_night(venue, NIGHT)
    vips = {r.key for r in requests if r.vip}
    engine = Engine(plan, clock, vip_of=lambda b: b.id in vips)
    out = Outcome()
    by_key = {r.key: r for r in requests}
    events = [(r.order, 0, r.key) for r in requests if not r.walk_in]
    events += [(r.cancel_order, 1, r.key) for r in requests if r.cancels and not r.walk_in]
    now = clock.at(0)
    for _, kind, key in sorted(events):
        r = by_key[key]
        if kind == 1:
            engine.remove(key)
            continue
        _decide(engine, r, now, repair, check_exact, out)
    # The night itself: arrivals are seated (and never move again), no-shows
    # free their tables, walk-ins ask at the door.
    arrivals = sorted((r.start, r.walk_in, r.key) for r in requests if not r.cancels)
    for start, walk_in, key in arrivals:
        r = by_key[key]
        if walk_in:
            _decide(engine, r, start, repair, check_exact, out)
        placed = engine.index.placed.get(key)
        if placed is None:
            continue
        if r.no_show:
            engine.remove(key)
        else:
            engine.apply(replace(placed.booking, status=BookingStatus.SEATED))
            out.covers += r.party_size
    out.engine = engine
    return out


def _decide(engine, r, now, repair, check_exact, out) -> None:
    request = SeatingRequest(r.party_size, r.start, r.minutes, r.vip)
    before = night_of(engine.index, engine.vip_of) if check_exact else None
    undecided = False
    started, cpu = time.perf_counter(), time.process_time()
    if repair:
        decision = engine.decide(request, now)
        seating, moves = decision.seating, decision.moves
        undecided = decision.undecided
        if decision.kind not in (DecisionKind.SEAT, DecisionKind.SEAT_WITH_MOVES):
            seating = None
    else:
        seating = engine.index.can_seat(r.party_size, r.start, r.minutes, r.vip)
        moves = ()
    out.decisions.append(time.perf_counter() - started)
    out.cpu.append(time.process_time() - cpu)
    if seating is None:
        out.refusals += 1
        out.undecided += undecided
        out.refused.append(r)
        if before is not None:
            status = _exact_status(engine, before, r)
            if status == "unknown":
                out.unknown += 1
            elif status != "infeasible":
                if undecided:
                    out.undecided_seatable += 1
                else:
                    out.false_refusals += 1
        return
    out.moves += len(moves)
    for move in moves:
        moved = engine.index.placed[move.booking_id].booking
        engine.apply(replace(moved, table_ids=move.to_table_ids, combined=move.combined))
    engine.apply(booking(r, seating.table_ids, seating.combined))


def _exact_status(engine, before, r) -> str:
    """CP-SAT on the same question: can a re-pack of the unseated bookings seat ``r``?"""
    first, end = engine.index.clock.span(r.start, r.minutes)
    options = engine.index.catalogue.options(r.party_size, r.vip)
    new = Job(REQUEST, first, end, options, None, r.party_size)
    jobs = [*before.jobs, new]
    keys = table_keys(engine.index, jobs)
    return solve_by_twins(before.fixed, jobs, keys, time_limit=60).status


def hindsight(venue, plan, requests) -> int:
    """Most covers any plan could seat knowing who cancels, no-shows and walks in."""
    clock = SlotClock.for_night(venue, NIGHT)
    engine = Engine(plan, clock)
    real = [r for r in requests if not r.cancels and not r.no_show]
    jobs = []
    for r in real:
        first, end = clock.span(r.start, r.minutes)
        options = engine.index.catalogue.options(r.party_size, r.vip)
        jobs.append(Job(r.key, first, end, options, None, r.party_size))
    exact = solve_by_twins(
        [0] * len(plan.tables),
        jobs,
        table_keys(engine.index, jobs),
        required=set(),
        weight={r.key: r.party_size for r in real},
        time_limit=60,
    )
    return sum(r.party_size for r in real if r.key in exact.assignment)


def pct(values, q) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def us(seconds) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def ms(seconds) -> str:
    return f"{seconds * 1e3:,.2f} ms"


def booking_phase(venue, plan, requests) -> Outcome:
    """Every request decided in booking order, nobody seated yet (the afternoon before)."""
    clock = SlotClock.for_night(venue, NIGHT)
    engine = Engine(plan, clock)
    out = Outcome()
    for r in sorted(requests, key=lambda r: r.order):
        _decide(engine, r, clock.at(0), True, False, out)
    out.engine = engine
    return out
