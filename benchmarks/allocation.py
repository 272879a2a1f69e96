"""Allocation engine benchmark: `python benchmarks/allocation.py [--quick]`.

Prints, side by side with locked best fit and the CP-SAT exact reference:
availability query times, booking decision times (wall clock and CPU), refusals
checked against the exact re-pack, covers against the hindsight optimum, and
re-optimisation (first plan, best plan in 3 s, CP-SAT's most seated and fewest
moves).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.booking_night import Outcome, hindsight, ms, pct, simulate, us
from benchmarks.nights import demo, floor, night
from benchmarks.reoptimisation import reoptimisation

LOADS = (0.8, 1.4, 1.9, 2.4)


def availability(venue, seeds) -> None:
    plan = floor(40)
    single, every = [], []
    gc.collect()
    for seed in seeds:
        out = simulate(venue, plan, night(venue, plan, 1.4, seed), repair=True)
        index = out.engine.index
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
        "  refusals: all / false (search completed, CP-SAT seats it: floor 0) /"
        " couldn't decide quickly (budget ran out) / of those CP-SAT seats / CP-SAT unknown"
    )
    print(
        "  tables load | requests | refusals all false undec seatable unknown"
        " | decision wall p50 p99 max | cpu p99 max"
        " | moves | covers engine locked hindsight | engine/opt locked/opt"
    )
    every: list[Outcome] = []
    ratios = {}
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
            engines = [e for _, e, _, _ in rows]
            every += engines
            wall = [t for e in engines for t in e.decisions]
            cpu = [t for e in engines for t in e.cpu]
            e_cov = sum(e.covers for e in engines)
            l_cov = sum(lk.covers for _, _, lk, _ in rows)
            b_cov = sum(b for *_, b in rows)
            ratios[tables, load] = (e_cov / b_cov, l_cov / b_cov)
            counts = [
                sum(getattr(e, name) for e in engines)
                for name in ("refusals", "false_refusals", "undecided")
            ]
            counts += [sum(e.undecided_seatable for e in engines)]
            counts += [sum(e.unknown for e in engines)]
            print(
                f"  {tables:>6} {load:>4} | {sum(n for n, *_ in rows):>8} | "
                f"{counts[0]:>12} {counts[1]:>5} {counts[2]:>5} {counts[3]:>8} {counts[4]:>7} | "
                f"{ms(pct(wall, 0.5))} {ms(pct(wall, 0.99))} {ms(max(wall))} | "
                f"{ms(pct(cpu, 0.99))} {ms(max(cpu))} | "
                f"{sum(e.moves for e in engines):>5} | {e_cov:>6} {l_cov:>6} {b_cov:>6} | "
                f"{e_cov / b_cov:.3f} {l_cov / b_cov:.3f}"
            )
    wall = [t for e in every for t in e.decisions]
    cpu = [t for e in every for t in e.cpu]
    print(
        f"\n  decision p99 over all nights: wall {ms(pct(wall, 0.99))}, CPU {ms(pct(cpu, 0.99))}"
        f" (floor 20 ms); max wall {ms(max(wall))}, CPU {ms(max(cpu))}"
    )
    print(
        f"  false refusals against the exact re-pack: {sum(e.false_refusals for e in every)}"
        f" of {sum(e.refusals for e in every)} refusals checked (floor 0); couldn't decide"
        f" quickly: {sum(e.undecided for e in every)}"
        f" ({sum(e.undecided_seatable for e in every)} of them seatable);"
        f" CP-SAT undecided on {sum(e.unknown for e in every)}"
    )
    if (40, 1.4) in ratios:
        e, lk = ratios[40, 1.4]
        print(
            f"  covers at 40 tables, 1.4×: engine {e:.3f} of hindsight"
            f" optimum (floor 0.90), locked best fit {lk:.3f}"
        )


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    load = os.getloadavg()[0]
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} cores, {cpu},"
        f" load average {load:.1f} at start"
    )


REOPTIMISATION_NIGHTS = [(False, seed) for seed in range(5)] + [(True, seed) for seed in range(5)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few seeds, under a minute")
    parser.add_argument(
        "--reoptimisation-only",
        action="store_true",
        help="only the 10 re-optimisation nights (about 5 minutes)",
    )
    args = parser.parse_args()
    venue, _ = demo()
    print(f"# Allocation benchmark ({'quick' if args.quick else 'full'}): {machine()}")
    if args.reoptimisation_only:
        reoptimisation(venue, REOPTIMISATION_NIGHTS, cp_sat_seconds=60)
        return
    availability(venue, range(1) if args.quick else range(3))
    if args.quick:
        packing_and_covers(venue, range(1), (16, 40), (0.8, 1.4))
        reoptimisation(venue, [(True, 0)], cp_sat_seconds=10)
    else:
        packing_and_covers(venue, range(20), (16, 24, 40), LOADS)
        reoptimisation(venue, REOPTIMISATION_NIGHTS, cp_sat_seconds=60)


if __name__ == "__main__":
    main()
