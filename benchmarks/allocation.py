"""Allocation engine benchmark: `python benchmarks/allocation.py [--quick]`.

Prints, side by side with locked best fit and the CP-SAT exact reference:
availability query times, booking decision times, false refusals against the
exact re-pack, covers against the hindsight optimum, and re-optimisation.
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.allocation import DecisionKind, Engine, SeatingRequest, SlotClock
from app.domain.allocation.engine import REQUEST
from app.domain.allocation.packing import Job
from app.domain.allocation.reoptimise import reoptimise
from app.domain.allocation.repack import night_of, table_keys
from app.domain.booking import Booking, BookingStatus
from benchmarks.exact import solve, solve_by_twins
from benchmarks.nights import NIGHT, Request, demo, floor, night

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
LOADS = (0.8, 1.4, 1.9, 2.4)


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
    decisions: list[float] | None = None
    refusals: int = 0
    false_refusals: int = 0
    undecided: int = 0
    unknown: int = 0
    moves: int = 0
    engine: Engine | None = None
    refused: list[Request] | None = None


def simulate(venue, plan, requests, repair: bool, check_exact: bool = False) -> Outcome:
    clock = SlotClock.for_night(venue, NIGHT)
    vips = {r.key for r in requests if r.vip}
    engine = Engine(plan, clock, vip_of=lambda b: b.id in vips)
    out = Outcome(decisions=[], refused=[])
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
            _decide(engine, r, start, repair, False, out)
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
    started = time.perf_counter()
    if repair:
        decision = engine.decide(request, now)
        seating, moves = decision.seating, decision.moves
        out.undecided += decision.undecided
        if decision.kind not in (DecisionKind.SEAT, DecisionKind.SEAT_WITH_MOVES):
            seating = None
    else:
        seating = engine.index.can_seat(r.party_size, r.start, r.minutes, r.vip)
        moves = ()
    out.decisions.append(time.perf_counter() - started)
    if seating is None:
        out.refusals += 1
        out.refused.append(r)
        if before is not None:
            first, end = engine.index.clock.span(r.start, r.minutes)
            options = engine.index.catalogue.options(r.party_size, r.vip)
            new = Job(REQUEST, first, end, options, None, r.party_size)
            jobs = [*before.jobs, new]
            keys = table_keys(engine.index, jobs)
            status = solve_by_twins(before.fixed, jobs, keys, time_limit=60).status
            if status == "unknown":
                out.unknown += 1
            elif status != "infeasible":
                out.false_refusals += 1
        return
    out.moves += len(moves)
    for move in moves:
        moved = engine.index.placed[move.booking_id].booking
        engine.apply(replace(moved, table_ids=move.to_table_ids, combined=move.combined))
    engine.apply(booking(r, seating.table_ids, seating.combined))


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


def availability(venue, seeds) -> None:
    plan = floor(40)
    single, every = [], []
    gc.collect()
    for seed in seeds:
        out = simulate(venue, plan, night(venue, plan, 1.4, seed), repair=True)
        index = out.engine.index
        import random

        rng = random.Random(seed)
        opens = index.clock.at(44)  # 17:00
        gc.disable()  # as timeit does: a collection pause is not the query's time
        for _ in range(2000):
            party = rng.choice([2, 2, 4, 4, 5, 6, 8, 10])
            start = opens + timedelta(minutes=15 * rng.randrange(0, 36))
            t = time.perf_counter()
            index.can_seat(party, start, venue.default_duration(party))
            single.append(time.perf_counter() - t)
        for party in (1, 2, 3, 4, 5, 6, 7, 8, 10, 12):
            minutes = venue.default_duration(party)
            for _ in range(20):
                t = time.perf_counter()
                index.start_times(
                    party, minutes, opens, index.clock.at(88) - timedelta(minutes=minutes)
                )
                every.append(time.perf_counter() - t)
        gc.enable()
    print("\n## Availability (40 tables, a full night at 1.4× demand; GC paused while timing)")
    print(
        f"  single query 'can N sit at T for D':  p50 {us(pct(single, 0.5))}  "
        f"p99 {us(pct(single, 0.99))}  (floor 50 µs; {len(single)} queries)"
    )
    print(
        f"  every start time tonight for N:       p50 {us(pct(every, 0.5))}  "
        f"p99 {us(pct(every, 0.99))}  (floor 1 ms; {len(every)} queries)"
    )


def packing_and_covers(venue, seeds, sizes, loads) -> None:
    print("\n## Booking decisions, packing and covers (engine vs locked best fit vs CP-SAT)")
    print(
        "  tables load | requests | engine refusals false/undecided/cp-sat-unknown"
        " | decision p50 p99 max"
        " | moves | covers engine locked hindsight | engine/opt locked/opt"
    )
    all_times = []
    ratios = {}
    total_false = total_checks = total_unknown = 0
    for tables in sizes:
        plan = floor(tables)
        for load in loads:
            rows = []
            for seed in seeds:
                requests = night(venue, plan, load, seed)
                eng = simulate(venue, plan, requests, repair=True, check_exact=True)
                locked = simulate(venue, plan, requests, repair=False)
                best = hindsight(venue, plan, requests)
                rows.append((len(requests), eng, locked, best))
                all_times += eng.decisions
                total_false += eng.false_refusals
                total_unknown += eng.unknown
                total_checks += eng.refusals
            times = [t for _, e, _, _ in rows for t in e.decisions]
            e_cov = sum(e.covers for _, e, _, _ in rows)
            l_cov = sum(lk.covers for _, _, lk, _ in rows)
            b_cov = sum(b for *_, b in rows)
            ratios[tables, load] = (e_cov / b_cov, l_cov / b_cov)
            print(
                f"  {tables:>6} {load:>4} | {sum(n for n, *_ in rows):>8} | "
                f"{sum(e.refusals for _, e, _, _ in rows):>6}"
                f" {sum(e.false_refusals for _, e, _, _ in rows):>3}/"
                f"{sum(e.undecided for _, e, _, _ in rows)}/"
                f"{sum(e.unknown for _, e, _, _ in rows):<3} | "
                f"{ms(pct(times, 0.5))} {ms(pct(times, 0.99))} {ms(max(times))} | "
                f"{sum(e.moves for _, e, _, _ in rows):>5} | {e_cov:>6} {l_cov:>6} {b_cov:>6} | "
                f"{e_cov / b_cov:.3f} {l_cov / b_cov:.3f}"
            )
    print(
        f"\n  decision p99 over all nights: {ms(pct(all_times, 0.99))} (floor 20 ms), "
        f"max {ms(max(all_times))}"
    )
    print(
        f"  false refusals against the exact re-pack: {total_false}"
        f" of {total_checks} refusals checked (floor 0); CP-SAT undecided on {total_unknown}"
    )
    if (40, 1.4) in ratios:
        e, lk = ratios[40, 1.4]
        print(
            f"  covers at 40 tables, 1.4×: engine {e:.3f} of hindsight"
            f" optimum (floor 0.90), locked best fit {lk:.3f}"
        )


def reoptimisation(venue, seeds) -> None:
    print("\n## Re-optimisation (40 tables, ~150 bookings + 15 waitlisted)")
    plan = floor(40)
    import random

    for seed in seeds:
        requests = night(venue, plan, 2.4, seed)
        # The afternoon before: everyone booked is still unseated; then a tenth
        # of the bookings cancel, which is what makes room for the waitlist.
        pre = [replace(r, no_show=False, cancels=False) for r in requests if not r.walk_in]
        out = _booking_phase(venue, plan, pre)
        engine = out.engine
        rng = random.Random(seed)
        for key in sorted(engine.index.placed):
            if rng.random() < 0.1:
                engine.remove(key)
        rng.shuffle(out.refused)
        waiting = [
            replace(
                booking(r, (), False),
                status=BookingStatus.WAITLISTED,
                priority_score=rng.randrange(0, 600),
            )
            for r in out.refused[:15]
        ]
        gc.collect()
        t = time.perf_counter()
        first = reoptimise(engine, waiting, budget_seconds=0.0)
        t_first = time.perf_counter() - t
        t = time.perf_counter()
        full = reoptimise(engine, waiting, budget_seconds=3.0)
        t_full = time.perf_counter() - t
        night_now = night_of(engine.index, engine.vip_of)
        extra = []
        for b in waiting:
            f, e = engine.index.clock.span(b.start, b.duration_minutes)
            extra.append(
                Job(
                    b.id,
                    f,
                    e,
                    engine.index.catalogue.options(b.party_size, engine.vip_of(b)),
                    None,
                    b.party_size,
                )
            )
        required = {j.key for j in night_now.jobs}
        every = [*night_now.jobs, *extra]
        weight = {j.key: 1 for j in extra}
        pooled = solve_by_twins(
            night_now.fixed, every, table_keys(engine.index, every), required, weight, 60
        )
        best_count = sum(1 for j in extra if j.key in pooled.assignment)
        exact = solve(night_now.fixed, every, required, weight, fewest_moves=True, time_limit=60)
        best_moves = (
            sum(1 for j in night_now.jobs if exact.assignment[j.key].tables != j.current.tables)
            if exact.found
            else "?"
        )
        print(
            f"  seed {seed}: {len(engine.index.placed)} bookings, {len(waiting)} waitlisted | "
            f"first plan {ms(t_first)}: {first.seated} seated, {len(first.moves)} moves | "
            f"best {ms(t_full)}: {full.seated} seated, {len(full.moves)} moves | "
            f"CP-SAT: {best_count} seated ({pooled.status}); table-level with fewest moves "
            f"({exact.status}): {sum(1 for j in extra if j.key in exact.assignment)} seated, "
            f"{best_moves} moves"
        )


def _booking_phase(venue, plan, requests) -> Outcome:
    clock = SlotClock.for_night(venue, NIGHT)
    engine = Engine(plan, clock)
    out = Outcome(decisions=[], refused=[])
    for r in sorted(requests, key=lambda r: r.order):
        _decide(engine, r, clock.at(0), True, False, out)
    out.engine = engine
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few seeds, under a minute")
    args = parser.parse_args()
    venue, _ = demo()
    seeds = range(1) if args.quick else range(20)
    sizes = (16, 40) if args.quick else (16, 24, 40)
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    import os

    print(
        f"# Allocation benchmark ({'quick' if args.quick else 'full'}): "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {cpu}"
    )
    availability(venue, range(1) if args.quick else range(3))
    loads = (0.8, 1.4) if args.quick else LOADS
    packing_and_covers(venue, seeds, sizes, loads)
    reoptimisation(venue, range(1) if args.quick else range(5))


if __name__ == "__main__":
    main()
