"""Exact packing: can these bookings all sit, each on one of its options?

A depth-first search over the bookings in start order. Taking bookings in
start order makes the state small: a table only matters by the slot at which
it next becomes free, so two tables with the same covers, the same flags and
the same fixed (seated) load are interchangeable and the state is compared up
to that symmetry. States proven hopeless are remembered, which is what makes
a full search of a night affordable. The search is complete: with enough
budget it finds a packing whenever one exists, so the engine never refuses a
party that a re-pack could seat. Each booking tries its current tables first,
so a packing found keeps most bookings where they are.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from app.domain.allocation.hall import overloaded
from app.domain.allocation.options import Option

DEFAULT_NODE_LIMIT = 200_000


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


class _BudgetSpent(Exception):
    pass


def pack(
    fixed: Sequence[int],
    jobs: Sequence[Job],
    table_keys: Sequence[Hashable | None],
    node_limit: int = DEFAULT_NODE_LIMIT,
    crowded: tuple[int, int] | None = None,
) -> PackResult:
    """Seat every job without overlap and clear of the ``fixed`` busy masks.

    ``table_keys[p]`` groups interchangeable tables (``None``: unique).
    ``crowded`` names the slots worth a quick overload check first (those of
    the newcomer: everywhere else the current plan already fits).
    """
    search = _Search(fixed, jobs, table_keys, node_limit)
    if crowded is not None and search.overloaded(*crowded):
        return PackResult(None, True, 0)
    return search.run()


class _Search:
    def __init__(
        self,
        fixed: Sequence[int],
        jobs: Sequence[Job],
        table_keys: Sequence[Hashable | None],
        node_limit: int,
    ) -> None:
        self.fixed = fixed
        self.jobs = sorted(jobs, key=lambda j: (j.first, len(j.options), -j.party_size, j.key))
        self.masks = [((1 << (j.end - j.first)) - 1) << max(j.first, 0) for j in self.jobs]
        self.choices = [
            tuple(o for o in j.options if all(not fixed[p] & m for p in o.tables))
            for j, m in zip(self.jobs, self.masks, strict=True)
        ]
        groups: dict[Hashable, list[int]] = {}
        self.singles: list[int] = []
        for p, key in enumerate(table_keys):
            if key is None:
                self.singles.append(p)
            else:
                groups.setdefault((key, fixed[p]), []).append(p)
        for members in list(groups.values()):
            if len(members) == 1:
                self.singles.append(members[0])
        self.groups = [m for m in groups.values() if len(m) > 1]
        twin_of = {p: -1 - g for g, members in enumerate(self.groups) for p in members}
        # Options on free twin tables lead to the same state: only one is tried.
        self.signature = {
            id(o): tuple(sorted(twin_of.get(p, p) for p in o.tables))
            for options in self.choices
            for o in options
        }
        self.reach = [tuple(sorted({p for o in c for p in o.tables})) for c in self.choices]
        self.need = [min((len(o.tables) for o in c), default=1) for c in self.choices]
        self.free_at = [-(10**9)] * len(fixed)
        self.chosen: list[Option | None] = [None] * len(self.jobs)
        self.failed: set[tuple[int, ...]] = set()
        self.nodes = 0
        self.node_limit = node_limit

    def overloaded(self, first: int, end: int) -> bool:
        """True when some slot from ``first`` to ``end`` has more parties than tables."""
        seen: set[tuple[int, ...]] = set()
        for slot in range(first, end):
            bit = 1 << slot
            present = tuple(i for i, m in enumerate(self.masks) if m & bit)
            if present in seen:
                continue
            seen.add(present)
            blocked = {p for p, f in enumerate(self.fixed) if f & bit}
            # A party whose every option is a join needs that many tables at once.
            reach = [self.reach[i] for i in present for _ in range(self.need[i])]
            if overloaded(reach, blocked):
                return True
        return False

    def run(self) -> PackResult:
        if any(not c for c in self.choices):
            return PackResult(None, True, 0)
        try:
            found = self._place(0)
        except _BudgetSpent:
            return PackResult(None, False, self.nodes)
        if not found:
            return PackResult(None, True, self.nodes)
        assignment = {
            j.key: o for j, o in zip(self.jobs, self.chosen, strict=True) if o is not None
        }
        return PackResult(assignment, True, self.nodes)

    def _state(self, now: int) -> tuple[int, ...]:
        """How long each table stays busy, sorted within each group of twins."""
        free_at = self.free_at
        state = [free_at[p] - now if free_at[p] > now else 0 for p in self.singles]
        for members in self.groups:
            state.extend(sorted(free_at[p] - now if free_at[p] > now else 0 for p in members))
        return tuple(state)

    def _place(self, i: int) -> bool:
        if i == len(self.jobs):
            return True
        self.nodes += 1
        if self.nodes > self.node_limit:
            raise _BudgetSpent
        job = self.jobs[i]
        now = job.first
        state = (i, *self._state(now))
        if state in self.failed:
            return False
        free_at = self.free_at
        tried: set[tuple[int, ...]] = set()
        for option in self.choices[i]:
            tables = option.tables
            if any(free_at[p] > now for p in tables):
                continue
            signature = self.signature[id(option)]
            if signature in tried:
                continue
            tried.add(signature)
            saved = [free_at[p] for p in tables]
            for p in tables:
                free_at[p] = job.end
            self.chosen[i] = option
            if self._place(i + 1):
                return True
            for p, was in zip(tables, saved, strict=True):
                free_at[p] = was
        self.chosen[i] = None
        self.failed.add(state)
        return False
