"""Ejection chains: seat a party with the fewest moves of other bookings.

Put the party on one of its options; the unseated bookings in the way are
lifted and each is put somewhere else, possibly lifting others in turn. Every
booking moves at most once and the total is bounded, deepening one move at a
time, so the first chain found moves as few bookings as any re-arrangement of
that size could. (Every booking moved in a smallest re-arrangement stands on
someone's new tables, so the chain meets it as a blocker: the search misses no
re-arrangement within the bound.)
"""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job

DEFAULT_MAX_MOVES = 3
DEFAULT_NODE_LIMIT = 4_000


def job_mask(job: Job) -> int:
    return ((1 << (job.end - job.first)) - 1) << max(job.first, 0)


class _Spent(Exception):
    pass


def fewest_moves(
    fixed: Sequence[int],
    jobs: Sequence[Job],
    new: Job,
    max_moves: int = DEFAULT_MAX_MOVES,
    node_limit: int = DEFAULT_NODE_LIMIT,
) -> dict[str, Option] | None:
    """New tables for ``new`` and for every booking that has to move, or None."""
    chains = _Chains(fixed, jobs, node_limit)
    try:
        for budget in range(max_moves + 1):
            found = chains.run(new, budget)
            if found is not None:
                return found
    except _Spent:
        return None
    return None


class _Chains:
    def __init__(self, fixed: Sequence[int], jobs: Sequence[Job], node_limit: int) -> None:
        self.fixed = fixed
        self.jobs = {j.key: j for j in jobs}
        self.masks = {j.key: job_mask(j) for j in jobs}
        self.on_table: list[dict[str, int]] = [{} for _ in fixed]
        for job in jobs:
            if job.current is not None:
                for p in job.current.tables:
                    self.on_table[p][job.key] = self.masks[job.key]
        self.where: dict[str, Option] = {j.key: j.current for j in jobs if j.current}
        self.nodes = 0
        self.node_limit = node_limit

    def run(self, new: Job, budget: int) -> dict[str, Option] | None:
        self.masks[new.key] = job_mask(new)
        self.new_key = new.key
        placed: dict[str, Option] = {}
        if self._seat([new], set(), budget, placed):
            return placed
        return None

    def _seat(
        self, pending: list[Job], moved: set[str], budget: int, placed: dict[str, Option]
    ) -> bool:
        if not pending:
            return True
        job, rest = pending[0], pending[1:]
        mask = self.masks[job.key]
        for option in job.options:
            self.nodes += 1
            if self.nodes > self.node_limit:
                raise _Spent
            if any(self.fixed[p] & mask for p in option.tables):
                continue
            blockers: set[str] = set()
            for p in option.tables:
                for key, other in self.on_table[p].items():
                    if other & mask:
                        blockers.add(key)
            if blockers & moved or self.new_key in blockers:
                continue
            if len(moved) + len(blockers) > budget:
                continue
            lifted = [self._lift(k) for k in blockers]
            self._put(job.key, option, mask)
            placed[job.key] = option
            chained = [self.jobs[k] for k in sorted(blockers)]
            if self._seat(rest + chained, moved | blockers, budget, placed):
                return True
            del placed[job.key]
            self._take(job.key, option)
            for key, where in lifted:
                self._put(key, where, self.masks[key])
        return False

    def _lift(self, key: str) -> tuple[str, Option]:
        where = self.where[key]
        self._take(key, where)
        return key, where

    def _put(self, key: str, option: Option, mask: int) -> None:
        for p in option.tables:
            self.on_table[p][key] = mask
        self.where[key] = option

    def _take(self, key: str, option: Option) -> None:
        for p in option.tables:
            self.on_table[p].pop(key, None)
        self.where.pop(key, None)
