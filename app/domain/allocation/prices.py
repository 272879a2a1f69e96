"""Proof by prices: a quick way to show that no re-arrangement exists when counting
and narrowing (``narrowing``) cannot.

Put a price on every (kind of table, slot). Whatever the plan, each party
pays for the cells its tables occupy, and since no cell holds more tables
than there are, all parties together pay at most the price of every free
table. So if even the cheapest choice of every party adds up to more than
that, there is no plan (this is the dual of the linear relaxation, read as a
proof). Prices that do this are looked for by subgradient steps, a few
dozen on the busy nights where they are needed; the final check is in exact
integer arithmetic, so a refusal resting on it is a proof. When no such
prices turn up, nothing is concluded and the exact search goes on.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.allocation.narrowing import KindJob, Room
from app.domain.allocation.symmetry import Tally

ITERATIONS = 200
# The subgradient aims a little above break-even, in units of the mean price.
TARGET = 16.0
SCALE = 1 << 20

Cover = list[tuple[int, int]]  # (cell, tables) for one choice


def priced_out(jobs: Sequence[KindJob], room: Room, iterations: int = ITERATIONS) -> bool:
    """True when prices prove that the jobs cannot all sit (after narrowing)."""
    problem = _residual(jobs, room)
    if problem is None:
        return False
    capacity, parties = problem
    prices = [1.0] * len(capacity)
    for _ in range(iterations):
        spent, usage = _cheapest(parties, prices)
        gain = spent - sum(p * c for p, c in zip(prices, capacity, strict=True))
        if gain > 0 and _proves([round(p * SCALE) for p in prices], capacity, parties):
            return True
        step = [u - c for u, c in zip(usage, capacity, strict=True)]
        norm = sum(g * g for g in step)
        if not norm:
            return False
        alpha = (TARGET - gain) / norm
        prices = [max(0.0, p + alpha * g) for p, g in zip(prices, step, strict=True)]
        total = sum(prices)
        if not total:
            return False
        prices = [p * len(prices) / total for p in prices]
    return False


def _residual(
    jobs: Sequence[KindJob], room: Room
) -> tuple[list[int], list[tuple[int, list[Cover]]]] | None:
    """The cells that could overflow, their free tables once the parties with one choice
    left are seated, and the other parties (with how many of each) as covers of cells."""
    horizon = room.horizon
    free = [[n] * horizon for n in room.tables]
    for kind, busy in room.loaded:
        row = free[kind]
        for s in range(horizon):
            if busy >> s & 1:
                row[s] -= 1
    open_jobs: dict[tuple[int, int, tuple[Tally, ...]], int] = {}
    for job in jobs:
        if len(job.domain) == 1:
            for kind, tables in next(iter(job.domain))[2]:
                row = free[kind]
                for s in range(job.first, job.end):
                    row[s] -= tables
        else:
            key = (job.first, job.end, tuple(job.domain))
            open_jobs[key] = open_jobs.get(key, 0) + 1
    demand = [[0] * horizon for _ in room.tables]
    for (first, end, domain), count in open_jobs.items():
        most: dict[int, int] = {}
        for _, _, tally in domain:
            for kind, tables in tally:
                most[kind] = max(most.get(kind, 0), tables)
        for kind, tables in most.items():
            row = demand[kind]
            for s in range(first, end):
                row[s] += tables * count
    cells: dict[tuple[int, int], int] = {}
    capacity: list[int] = []
    for kind, row in enumerate(demand):
        for s, wanted in enumerate(row):
            if wanted > free[kind][s]:
                cells[kind, s] = len(capacity)
                capacity.append(free[kind][s])
    if not cells:
        return None
    parties = []
    for (first, end, domain), count in open_jobs.items():
        covers = [
            [
                (cells[kind, s], tables)
                for kind, tables in tally
                for s in range(first, end)
                if (kind, s) in cells
            ]
            for _, _, tally in domain
        ]
        parties.append((count, covers))
    return capacity, parties


def _cheapest(
    parties: Sequence[tuple[int, list[Cover]]], prices: Sequence[float]
) -> tuple[float, list[int]]:
    """What the parties pay at their cheapest choices, and the cells those use."""
    spent = 0.0
    usage = [0] * len(prices)
    for count, covers in parties:
        best = 0.0
        chosen: Cover = []
        for n, cover in enumerate(covers):
            cost = 0.0
            for cell, tables in cover:
                cost += tables * prices[cell]
            if not n or cost < best:
                best, chosen = cost, cover
        spent += count * best
        for cell, tables in chosen:
            usage[cell] += count * tables
    return spent, usage


def _proves(
    prices: Sequence[int], capacity: Sequence[int], parties: Sequence[tuple[int, list[Cover]]]
) -> bool:
    """The same sum in integers: the cheapest payments exceed the price of every free table."""
    spent = 0
    for count, covers in parties:
        spent += count * min(
            sum(tables * prices[cell] for cell, tables in cover) for cover in covers
        )
    return spent > sum(p * c for p, c in zip(prices, capacity, strict=True))
