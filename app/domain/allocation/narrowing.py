"""Ruling out table choices that cannot be part of any plan, before searching.

Tables are pooled into *kinds* (``Symmetry.kind``: the fifteen 2–4 tables are
one kind, the first tables of the three joinable pairs another). For a set
of kinds T and a slot, the parties present whose every remaining choice lies
in T must not need more tables than T has free (Hall's condition). Where T is
exactly full, a party present that could sit elsewhere must not use T at
that slot, and since a party keeps its table for its whole stay, it must not
use T at all: that choice is struck out. Striking out choices confines other
parties to fewer kinds, which fills other sets, and so on until nothing
changes.

A party left with no choice, or a set of kinds with more parties than
tables, proves that no re-arrangement exists. On busy nights this settles
most refusals before any search (counting slot by slot cannot: it lets a
party change tables half-way through its stay).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.allocation.options import Option
from app.domain.allocation.symmetry import Symmetry, Tally

MAX_ROUNDS = 20


@dataclass(slots=True)
class Narrowed:
    """What is left after narrowing: each job's choices, and the same at the level of kinds."""

    choices: list[tuple[Option, ...]]
    jobs: list[KindJob]
    room: Room


def narrow(
    fixed: Sequence[int],
    spans: Sequence[tuple[int, int]],
    choices: Sequence[Sequence[Option]],
    symmetry: Symmetry,
) -> Narrowed | None:
    """Each job's choices less those no plan can use; None when no plan exists."""
    jobs = [
        KindJob(first, end, [symmetry.tally(o.tables) for o in options])
        for (first, end), options in zip(spans, choices, strict=True)
    ]
    horizon = max((job.end for job in jobs), default=0)
    room = Room(fixed, symmetry, horizon)
    if not _narrow(jobs, room):
        return None
    kept = [
        tuple(o for o, tally in zip(options, job.tallies, strict=True) if tally in job.domain)
        for options, job in zip(choices, jobs, strict=True)
    ]
    return Narrowed(kept, jobs, room)


def _narrow(jobs: Sequence[KindJob], room: Room) -> bool:
    if any(not job.domain for job in jobs):
        return False
    if not jobs:
        return True
    start = min(job.first for job in jobs)
    horizon = room.horizon
    for _ in range(MAX_ROUNDS):
        tight: list[tuple[int, list[int]]] = []
        for kinds in _family([job.reach for job in jobs]):
            slack = _slack(room.of(kinds), jobs, kinds, horizon)
            if min(slack[start:]) < 0:
                return False
            if min(slack[start:]) <= 1:
                tight.append((kinds, slack))
        struck = False
        for job in jobs:
            if job.strike(tight):
                struck = True
                if not job.domain:
                    return False
        if not struck:
            break
    return True


class Room:
    """Free tables per slot for a set of kinds (all tables less the fixed load)."""

    def __init__(self, fixed: Sequence[int], symmetry: Symmetry, horizon: int) -> None:
        self.horizon = horizon
        self.kind = symmetry.kind
        self.tables = [0] * symmetry.kinds
        for k in symmetry.kind:
            self.tables[k] += 1
        self.loaded = [(symmetry.kind[p], busy) for p, busy in enumerate(fixed) if busy]
        self._cache: dict[int, list[int]] = {}

    def of(self, kinds: int) -> list[int]:
        found = self._cache.get(kinds)
        if found is None:
            total = sum(n for k, n in enumerate(self.tables) if kinds >> k & 1)
            found = [total] * self.horizon
            for k, busy in self.loaded:
                if kinds >> k & 1:
                    for s in range(self.horizon):
                        if busy >> s & 1:
                            found[s] -= 1
            self._cache[kinds] = found
        return found


class KindJob:
    __slots__ = ("domain", "end", "first", "need", "reach", "tallies")

    def __init__(self, first: int, end: int, tallies: list[Tally]) -> None:
        self.first = max(first, 0)
        self.end = end
        self.tallies = tallies
        # The choices still possible, as tallies (twin choices share one).
        self.domain: dict[Tally, None] = dict.fromkeys(tallies)
        self._refresh()

    def _refresh(self) -> None:
        self.reach = 0
        self.need = 1 << 30
        for bitset, tables, _ in self.domain:
            self.reach |= bitset
            self.need = min(self.need, tables)

    def strike(self, tight: list[tuple[int, list[int]]]) -> bool:
        """Drop the choices that would overfill a full set; True if any was dropped."""
        dropped: list[Tally] = []
        for tally in self.domain:
            bitset, tables, counts = tally
            for kinds, slack in tight:
                if not bitset & kinds:
                    continue
                inside = not self.reach & ~kinds
                if inside and tables == self.need:
                    continue
                used = (
                    tables if not bitset & ~kinds else sum(c for k, c in counts if kinds >> k & 1)
                )
                extra = used - (self.need if inside else 0)
                if extra > 0 and min(slack[self.first : self.end]) < extra:
                    dropped.append(tally)
                    break
        for tally in dropped:
            del self.domain[tally]
        if dropped:
            self._refresh()
        return bool(dropped)


def _family(reaches: Sequence[int]) -> list[int]:
    """The kinds each party can use, single kinds, and unions of two overlapping reaches."""
    kinds = sorted(set(r for r in reaches if r))
    sets = set(kinds)
    every = 0
    for r in kinds:
        every |= r
    sets.update(1 << k for k in range(every.bit_length()) if every >> k & 1)
    for n, a in enumerate(kinds):
        for b in kinds[n + 1 :]:
            if a & b:
                sets.add(a | b)
    return sorted(sets)


def _slack(room: list[int], jobs: Sequence[KindJob], kinds: int, horizon: int) -> list[int]:
    change = [0] * (horizon + 1)
    for job in jobs:
        if not job.reach & ~kinds:
            change[job.first] += job.need
            change[job.end] -= job.need
    slack = []
    used = 0
    for s in range(horizon):
        used += change[s]
        slack.append(room[s] - used)
    return slack
