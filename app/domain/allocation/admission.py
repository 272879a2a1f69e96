"""Letting waitlisted parties into a night one at a time, as the booking decision does:
a short chain of moves if one exists, else an exact re-pack, else not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from app.domain.allocation.chains import fewest_moves
from app.domain.allocation.engine import Engine
from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job, Repack
from app.domain.allocation.relabel import settle
from app.domain.allocation.repack import Night, keep_in_place, symmetry_for


@dataclass(frozen=True, slots=True)
class Seated:
    """A plan of the night: every booking and promoted party, ``current`` on its tables."""

    jobs: dict[str, Job]
    promoted: frozenset[str]

    @property
    def positions(self) -> dict[str, Option]:
        return {k: j.current for k, j in self.jobs.items() if j.current is not None}

    def without(self, key: str) -> Seated:
        """The same plan with one promoted party taken off it again."""
        jobs = {k: j for k, j in self.jobs.items() if k != key}
        return Seated(jobs, self.promoted - {key})


class Admission:
    def __init__(
        self, engine: Engine, night: Night, node_limit: int | None = None, prices: bool = True
    ) -> None:
        self.engine = engine
        self.node_limit = engine.node_limit if node_limit is None else node_limit
        # Proof by prices pays off when a refusal must be proven; a quick pass that may
        # leave a party for later does without it.
        self.prices = prices
        self.fixed = night.fixed
        self.night = night
        self.original = {j.key: j.current for j in night.jobs}

    def start(self) -> Seated:
        return Seated({j.key: j for j in self.night.jobs}, frozenset())

    def admit_all(
        self, seated: Seated, order: Iterable[Job], time_left: Callable[[], bool] | None = None
    ) -> Seated:
        for newcomer in order:
            if time_left is not None and not time_left():
                break
            if newcomer.key not in seated.promoted:
                seated = self.admit(seated, newcomer) or seated
        return seated

    def admit_each(
        self, seated: Seated, order: Iterable[Job], time_left: Callable[[], bool]
    ) -> Seated | None:
        """The plan with every party of ``order`` let in, or None as soon as one cannot be
        (or time runs out)."""
        for newcomer in order:
            if not time_left():
                return None
            admitted = self.admit(seated, newcomer)
            if admitted is None:
                return None
            seated = admitted
        return seated

    def admit(self, seated: Seated, newcomer: Job) -> Seated | None:
        """The plan with ``newcomer`` seated too, or None if no re-pack seats it."""
        jobs = [*seated.jobs.values(), newcomer]
        index = self.engine.index
        repack = Repack(
            self.fixed,
            jobs,
            symmetry_for(index, jobs),
            (newcomer.first, newcomer.end),
            focus=newcomer.key,
        )
        if repack.impossible():
            return None
        near = [j for j in repack.jobs if j.key != newcomer.key]
        changed = fewest_moves(self.fixed, near, newcomer)
        if changed is None:
            result = repack.solve(self.node_limit, self.prices)
            if result.assignment is None:
                return None
            changed = keep_in_place(result.assignment, jobs, self.fixed)
        after = dict(seated.jobs)
        for key, option in changed.items():
            job = after.get(key, newcomer)
            after[key] = replace(job, current=option, options=self._order(key, option, job))
        return Seated(after, seated.promoted | {newcomer.key})

    def fewer_moves(
        self, seated: Seated, positions: dict[str, Option], time_left: Callable[[], bool]
    ) -> dict[str, Option]:
        """Undo moves while it pays: a moved booking is sent back to its own tables by the
        shortest chain that makes room there, kept if fewer bookings end up moved."""
        positions = self.tidy(positions, seated.jobs.values())
        jobs = {k: self._at(j, positions[k]) for k, j in seated.jobs.items()}
        improved = True
        while improved and time_left():
            improved = False
            for key in sorted(k for k in positions if self._is_moved(k, positions[k])):
                if not time_left():
                    break
                job, home = jobs[key], self.original[key]
                others = [j for k, j in jobs.items() if k != key]
                back = replace(job, options=(home,), current=None)
                chain = fewest_moves(self.fixed, others, back)
                trial = {**positions, **chain} if chain is not None else positions
                if self.moves(trial) < self.moves(positions):
                    positions = self.tidy(trial, jobs.values())
                    chain = {k: o for k, o in positions.items() if jobs[k].current is not o}
                    jobs.update({k: self._at(jobs[k], o) for k, o in chain.items()})
                    improved = True
        return positions

    def tidy(self, positions: dict[str, Option], jobs: Iterable[Job]) -> dict[str, Option]:
        """The same plan with as few moves as ``settle`` finds."""
        homes = [replace(j, current=self.original.get(j.key)) for j in jobs]
        return settle(positions, homes, self.fixed, symmetry_for(self.engine.index, homes))

    def _at(self, job: Job, option: Option) -> Job:
        return replace(job, current=option, options=self._order(job.key, option, job))

    def _is_moved(self, key: str, option: Option) -> bool:
        return key in self.original and self.original[key].tables != option.tables

    def moves(self, positions: dict[str, Option]) -> int:
        return sum(1 for key, option in positions.items() if self._is_moved(key, option))

    def _order(self, key: str, option: Option, job: Job) -> tuple[Option, ...]:
        """Where the job sits now first, then its own tables from before, then the rest."""
        first = [option]
        original = self.original.get(key)
        if original is not None and original.tables != option.tables:
            first.append(original)
        taken = {o.tables for o in first}
        return (*first, *(o for o in job.options if o.tables not in taken))
