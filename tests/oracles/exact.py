"""The exact oracle: OR-Tools CP-SAT over the same jobs the allocation engine packs.

It decides who can sit from the jobs alone (their slots, their table options and
what is already taken) and never calls the engine's own search. Tests and
benchmarks use it; OR-Tools is the optional ``bench`` extra, so a test that
needs it skips where it is missing. (OR-Tools cannot share a process with
``highspy``.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job


@dataclass(frozen=True)
class Exact:
    status: str  # "optimal", "feasible", "infeasible" or "unknown"
    assignment: dict[str, Option]
    objective: float

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "feasible")


def run(model: cp_model.CpModel, time_limit: float, workers: int) -> tuple[cp_model.CpSolver, str]:
    """Solve ``model`` within the time limit; the solver and "optimal", "feasible",
    "infeasible" or "unknown"."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    code = solver.solve(model)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    return solver, status


def _runs(mask: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    slot = 0
    while mask:
        if mask & 1:
            start = slot
            while mask & 1:
                mask >>= 1
                slot += 1
            runs.append((start, slot))
        else:
            mask >>= 1
            slot += 1
    return runs


def solve(
    fixed: Sequence[int],
    jobs: Sequence[Job],
    required: set[str] | None = None,
    weight: Mapping[str, int] | None = None,
    fewest_moves: bool = False,
    time_limit: float = 20.0,
    workers: int = 2,
) -> Exact:
    """Seat every ``required`` job, then maximise ``weight`` of the others seated,
    then (if asked) keep as many jobs as possible on their current tables."""
    required = {j.key for j in jobs} if required is None else required
    weight = weight or {}
    model = cp_model.CpModel()
    chosen: dict[tuple[int, int], cp_model.IntVar] = {}
    by_table: dict[int, list[tuple[Job, cp_model.IntVar]]] = {}
    gain: list[cp_model.LinearExpr] = []
    kept: list[cp_model.IntVar] = []
    for j, job in enumerate(jobs):
        mask = ((1 << (job.end - job.first)) - 1) << max(job.first, 0)
        here: list[cp_model.IntVar] = []
        for o, option in enumerate(job.options):
            if any(fixed[p] & mask for p in option.tables):
                continue
            var = model.new_bool_var(f"x{j}_{o}")
            chosen[j, o] = var
            here.append(var)
            for p in option.tables:
                by_table.setdefault(p, []).append((job, var))
            if job.current is not None and option.tables == job.current.tables:
                kept.append(var)
        if job.key in required:
            model.add(sum(here) == 1)
        else:
            model.add(sum(here) <= 1)
            gain.append(weight.get(job.key, 1) * sum(here))
    for p, uses in by_table.items():
        for point in {job.first for job, _ in uses}:
            active = [var for job, var in uses if job.first <= point < job.end]
            if len(active) > 1:
                model.add_at_most_one(active)
        # The same constraint as intervals: CP-SAT's scheduling reasoning proves
        # "no room" far sooner than the cliques alone.
        intervals = [
            model.new_optional_fixed_size_interval_var(
                job.first, job.end - job.first, var, f"i{p}_{n}"
            )
            for n, (job, var) in enumerate(uses)
        ]
        if fixed[p]:
            for n, (a, b) in enumerate(_runs(fixed[p])):
                intervals.append(model.new_fixed_size_interval_var(a, b - a, f"f{p}_{n}"))
        model.add_no_overlap(intervals)
    scale = len(kept) + 1
    objective = scale * sum(gain) if gain else 0
    if fewest_moves and kept:
        objective = objective + sum(kept)
    if gain or (fewest_moves and kept):
        model.maximize(objective)
    solver, status = run(model, time_limit, workers)
    assignment: dict[str, Option] = {}
    if status in ("optimal", "feasible"):
        for (j, o), var in chosen.items():
            if solver.value(var):
                assignment[jobs[j].key] = jobs[j].options[o]
        value = solver.objective_value if (gain or fewest_moves) else 0.0
    else:
        value = 0.0
    return Exact(status, assignment, value)
