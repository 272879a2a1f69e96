"""Exact packing: can these bookings all sit, each on one of its options?

``Repack`` answers in steps, cheapest first:

1. only the bookings linked to the newcomer matter (those overlapping it in
   time on tables both could use, and so on); the rest keep their tables;
2. proofs that there is no room: a slot of the newcomer's with more parties
   than tables (matching), then narrowing by kinds of table (``narrowing``);
3. the search (``search``): for each way of seating the newcomer (twins
   once), a depth-first search in start order and one in end order from the
   last, taking turns with a budget that grows fourfold each round;
4. after the first round, prices that prove there is no room (``prices``).

The answer is exact: a packing when one exists, else a proof, unless the
node budget runs out first (``complete`` is then False). Each booking tries
its current tables first, so a packing found keeps most bookings where they are.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from app.domain.allocation.bounds import table_set
from app.domain.allocation.hall import overloaded
from app.domain.allocation.narrowing import Narrowed, narrow
from app.domain.allocation.options import Option
from app.domain.allocation.prices import priced_out
from app.domain.allocation.search import BudgetSpent, Search
from app.domain.allocation.slots import bits, span_mask
from app.domain.allocation.symmetry import Symmetry

DEFAULT_NODE_LIMIT = 200_000
# Nodes (beyond one per booking) each search gets before prices are tried; the budget
# then grows fourfold per round. Feasible nights rarely need more.
FIRST_LOOK = 100
# Seat the newcomer first, one way at a time: the search then knows what it is making room for.
NEWCOMER_FIRST = True


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
        self.focus = focus
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

    def solve(self, node_limit: int = DEFAULT_NODE_LIMIT, prices: bool = True) -> PackResult:
        """Search for a packing: the newcomer's tables first, one choice at a time, a short
        search for each, then prices (unless not wanted), then the rest of the budget."""
        if self.impossible():
            return PackResult(None, True, 0)
        trials = self._trials()
        nodes = 0
        budget = FIRST_LOOK + len(self.jobs)
        priced = not prices
        while trials:
            still_open = []
            for trial in trials:
                result = trial.search(min(budget, node_limit - nodes))
                nodes += result.nodes
                if result.assignment is not None:
                    return PackResult({**self.kept, **result.assignment}, True, nodes)
                if not result.complete:
                    still_open.append(trial)
            trials = still_open
            if not trials:
                break
            if not priced:
                priced = True
                narrowed = self.narrowed
                if narrowed is not None and priced_out(narrowed.jobs, narrowed.room):
                    return PackResult(None, True, nodes)
            if nodes >= node_limit:
                return PackResult(None, False, nodes)
            budget *= 4
        return PackResult(None, True, nodes)

    def _trials(self) -> list[_Trial]:
        """Searches that race: forwards and backwards in time (each finds different plans
        easily), per way of seating the newcomer if that is asked for."""
        if not NEWCOMER_FIRST or self.focus is None:
            return [
                _Trial(self.fixed, self.jobs, self.choices, self.symmetry, None, backwards)
                for backwards in (False, True)
            ]
        n = next(n for n, j in enumerate(self.jobs) if j.key == self.focus)
        newcomer, mask = self.jobs[n], self.masks[n]
        others = self.jobs[:n] + self.jobs[n + 1 :]
        masks = self.masks[:n] + self.masks[n + 1 :]
        trials = []
        seen: set[Hashable] = set()
        for option in self.choices[n]:
            key, units = self.symmetry.twin_key(option.tables)
            signature = (key, *[self.fixed[p] for p in units])
            if signature in seen:
                continue
            seen.add(signature)
            fixed = list(self.fixed)
            for p in option.tables:
                fixed[p] |= mask
            choices = [
                tuple(o for o in c if all(not fixed[p] & m for p in o.tables))
                for c, m in zip(self.choices[:n] + self.choices[n + 1 :], masks, strict=True)
            ]
            seat = (newcomer.key, option)
            for backwards in (False, True):
                trials.append(
                    _Trial(fixed, others, choices, self.symmetry, seat, backwards, narrowing=True)
                )
        return trials


class _Trial:
    """A search over the jobs (with the newcomer already seated, if ``seat``), in start
    order or, ``backwards``, in end order from the last."""

    def __init__(
        self,
        fixed: Sequence[int],
        jobs: Sequence[Job],
        choices: Sequence[Sequence[Option]],
        symmetry: Symmetry,
        seat: tuple[str, Option] | None,
        backwards: bool,
        narrowing: bool = False,
    ) -> None:
        self.fixed = fixed
        self.jobs = jobs
        self.choices = choices
        self.symmetry = symmetry
        self.seat = seat
        self.backwards = backwards
        self.narrowing = narrowing
        self.search_: Search | None = None
        self.hopeless = False

    def _prepare(self) -> Search | None:
        """The search, set up on first use (None: narrowing proved this trial hopeless)."""
        if self.search_ is not None or self.hopeless:
            return self.search_
        jobs, fixed, choices = self.jobs, self.fixed, self.choices
        if self.narrowing:
            narrowed = narrow(fixed, [(j.first, j.end) for j in jobs], choices, self.symmetry)
            if narrowed is None:
                self.hopeless = True
                return None
            choices = narrowed.choices
        spans = [(max(j.first, 0), j.end) for j in jobs]
        if self.backwards:
            horizon = max([end for _, end in spans] + [f.bit_length() for f in fixed])
            spans = [(horizon - end, horizon - first) for first, end in spans]
            fixed = [_reversed(f, horizon) for f in fixed]
        order = sorted(
            range(len(jobs)),
            key=lambda n: (spans[n][0], len(choices[n]), -jobs[n].party_size, jobs[n].key),
        )
        self.order = [jobs[n] for n in order]
        spans = [spans[n] for n in order]
        self.search_ = Search(
            fixed,
            spans,
            [span_mask(first, end) for first, end in spans],
            [choices[n] for n in order],
            [table_set(j.options) for j in self.order],
            self.symmetry,
            0,
        )
        return self.search_

    def search(self, node_limit: int) -> PackResult:
        """Search afresh with ``node_limit`` nodes (states known to fail stay known)."""
        search = self._prepare()
        if search is None:
            return PackResult(None, True, 0)
        search.reset(node_limit)
        if not search.feasible_at_root():
            return PackResult(None, True, 0)
        try:
            found = search.run()
        except BudgetSpent:
            return PackResult(None, False, search.nodes)
        if not found:
            return PackResult(None, True, search.nodes)
        assignment = {
            j.key: o for j, o in zip(self.order, search.chosen, strict=True) if o is not None
        }
        if self.seat is not None:
            assignment[self.seat[0]] = self.seat[1]
        return PackResult(assignment, True, search.nodes)


def _reversed(mask: int, horizon: int) -> int:
    """Slot ``s`` becomes slot ``horizon - 1 - s``."""
    flipped = 0
    for s in bits(mask):
        if s < horizon:
            flipped |= 1 << (horizon - 1 - s)
    return flipped


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
