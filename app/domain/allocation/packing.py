"""Exact packing: can these bookings all sit, each on one of its options?

A depth-first search over the bookings in start order. Taking bookings in
start order makes the state small: a table only matters by what is booked on
it from now on, so interchangeable tables (``symmetry``) that are equally
busy from now on are the same, and the state is compared up to that. States
proven hopeless are remembered, and counting bounds (``bounds``) cut a branch
as soon as some slot has more parties than tables for them. The search is
complete: within its budget it finds a packing whenever one exists and
otherwise proves there is none, so the engine never refuses a party that a
re-pack could seat. Each booking tries its current tables first, so a
packing found keeps most bookings where they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.allocation.bounds import table_set
from app.domain.allocation.hall import overloaded
from app.domain.allocation.narrowing import Narrowed, narrow
from app.domain.allocation.options import Option
from app.domain.allocation.prices import priced_out
from app.domain.allocation.search import BudgetSpent, Search
from app.domain.allocation.symmetry import Symmetry

DEFAULT_NODE_LIMIT = 200_000
# Nodes searched before prices are tried: feasible nights need far fewer.
FIRST_LOOK = 400


@dataclass(frozen=True, slots=True)
class Job:
    key: str
    first: int
    end: int
    # Tried in this order: the booking's current tables first, then best fit.
    options: tuple[Option, ...]
    current: Option | None = None
    party_size: int = 0
    # The current tables are not among the party's usual options (staff chose them).
    odd: bool = False


@dataclass(frozen=True, slots=True)
class PackResult:
    assignment: dict[str, Option] | None
    # False when the budget ran out before the search could answer.
    complete: bool
    nodes: int

    @property
    def feasible(self) -> bool:
        return self.assignment is not None


def job_mask(job: Job) -> int:
    return ((1 << (job.end - job.first)) - 1) << max(job.first, 0) if job.end > job.first else 0


def pack(
    fixed: Sequence[int],
    jobs: Sequence[Job],
    symmetry: Symmetry,
    node_limit: int = DEFAULT_NODE_LIMIT,
    crowded: tuple[int, int] | None = None,
    focus: str | None = None,
) -> PackResult:
    """Seat every job without overlap and clear of the ``fixed`` busy masks.

    ``crowded`` names the slots worth a quick overload check first (those of
    the newcomer: everywhere else the current plan already fits). With
    ``focus`` (the newcomer's key) only the bookings that could touch it are
    searched: the others stay where they are.
    """
    repack = Repack(fixed, jobs, symmetry, crowded, focus)
    if repack.impossible():
        return PackResult(None, True, 0)
    return repack.solve(node_limit)


class Repack:
    """One packing question, answered in steps: quick proofs, then the search."""

    def __init__(
        self,
        fixed: Sequence[int],
        jobs: Sequence[Job],
        symmetry: Symmetry,
        crowded: tuple[int, int] | None = None,
        focus: str | None = None,
    ) -> None:
        self.kept: dict[str, Option] = {}
        if focus is not None:
            jobs, self.kept = _component(jobs, focus)
        self.fixed = fixed
        self.jobs = sorted(jobs, key=lambda j: (j.first, len(j.options), -j.party_size, j.key))
        self.masks = [job_mask(j) for j in self.jobs]
        loaded = [p for p, f in enumerate(fixed) if f]
        self.choices: Sequence[Sequence[Option]] = [
            tuple(o for o in j.options if all(not fixed[p] & m for p in o.tables))
            if any(fixed[p] & m for p in loaded)
            else j.options
            for j, m in zip(self.jobs, self.masks, strict=True)
        ]
        self.symmetry = symmetry
        self.crowded = crowded
        self.narrowed: Narrowed | None = None
        self._impossible: bool | None = None

    def impossible(self) -> bool:
        """True when counting alone proves that the jobs cannot all sit (cheap)."""
        if self._impossible is None:
            self._impossible = self._prove()
        return self._impossible

    def _prove(self) -> bool:
        if self.crowded is not None and self.overloaded(*self.crowded):
            return True
        spans = [(j.first, j.end) for j in self.jobs]
        self.narrowed = narrow(self.fixed, spans, self.choices, self.symmetry)
        if self.narrowed is None:
            return True
        self.choices = self.narrowed.choices
        return False

    def overloaded(self, first: int, end: int) -> bool:
        """True when some slot from ``first`` to ``end`` has more parties than tables."""
        seen: set[tuple[int, ...]] = set()
        reach: dict[int, tuple[int, ...]] = {}
        need: dict[int, int] = {}
        for slot in range(first, end):
            bit = 1 << slot
            present = tuple(i for i, m in enumerate(self.masks) if m & bit)
            if present in seen:
                continue
            seen.add(present)
            for i in present:
                if i not in reach:
                    c = self.choices[i]
                    reach[i] = tuple(sorted({p for o in c for p in o.tables}))
                    need[i] = min((len(o.tables) for o in c), default=1)
            blocked = {p for p, f in enumerate(self.fixed) if f & bit}
            # A party whose every option is a join needs that many tables at once.
            if overloaded([reach[i] for i in present for _ in range(need[i])], blocked):
                return True
        return False

    def solve(self, node_limit: int = DEFAULT_NODE_LIMIT) -> PackResult:
        """Search for a packing; a short search first, then prices, then the rest."""
        if self.impossible():
            return PackResult(None, True, 0)
        first = self._search(min(node_limit, FIRST_LOOK))
        if first.complete or self.narrowed is None:
            return first
        if priced_out(self.narrowed.jobs, self.narrowed.room):
            return PackResult(None, True, first.nodes)
        if node_limit <= FIRST_LOOK:
            return first
        rest = self._search(node_limit - first.nodes)
        return PackResult(rest.assignment, rest.complete, first.nodes + rest.nodes)

    def _search(self, node_limit: int) -> PackResult:
        search = Search(
            self.fixed,
            [(j.first, j.end) for j in self.jobs],
            self.masks,
            self.choices,
            [table_set(j.options) for j in self.jobs],
            self.symmetry,
            node_limit,
        )
        if not search.feasible_at_root():
            return PackResult(None, True, 0)
        try:
            found = search.run()
        except BudgetSpent:
            return PackResult(None, False, search.nodes)
        if not found:
            return PackResult(None, True, search.nodes)
        assignment = {
            j.key: o for j, o in zip(self.jobs, search.chosen, strict=True) if o is not None
        }
        return PackResult({**self.kept, **assignment}, True, search.nodes)


def _component(jobs: Sequence[Job], focus: str) -> tuple[list[Job], dict[str, Option]]:
    """The jobs linked to ``focus`` by overlapping in time on tables both could use.

    Any other job shares no table with them at any moment, whatever the
    search does, so it keeps its current tables.
    """
    reach = [table_set(j.options) for j in jobs]
    todo = [n for n, j in enumerate(jobs) if j.key == focus]
    apart = set(range(len(jobs))) - set(todo)
    linked = set(todo)
    while todo:
        n = todo.pop()
        a = jobs[n]
        near = [
            m
            for m in apart
            if reach[m] & reach[n] and jobs[m].first < a.end and a.first < jobs[m].end
        ]
        apart.difference_update(near)
        linked.update(near)
        todo.extend(near)
    kept = {jobs[m].key: jobs[m].current for m in apart if jobs[m].current is not None}
    if len(kept) < len(apart):
        return list(jobs), {}
    return [jobs[m] for m in sorted(linked)], kept
