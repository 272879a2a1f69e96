"""The exact reference: OR-Tools CP-SAT over the same jobs the engine packs.

Used only by benchmarks and tests (OR-Tools is a development dependency and
cannot share a process with ``highspy``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
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
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    code = solver.solve(model)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    assignment: dict[str, Option] = {}
    if status in ("optimal", "feasible"):
        for (j, o), var in chosen.items():
            if solver.value(var):
                assignment[jobs[j].key] = jobs[j].options[o]
        value = solver.objective_value if (gain or fewest_moves) else 0.0
    else:
        value = 0.0
    return Exact(status, assignment, value)


def solve_by_twins(
    fixed: Sequence[int],
    jobs: Sequence[Job],
    table_keys: Sequence[Hashable | None],
    required: set[str] | None = None,
    weight: Mapping[str, int] | None = None,
    time_limit: float = 20.0,
    workers: int = 2,
) -> Exact:
    """The same question with twin tables pooled: a group of k identical tables
    with the same fixed load takes at most k parties at any slot, which is exact
    for intervals (an interval graph needs only as many colours as its largest
    clique). Answers which jobs sit, not on which twin."""
    required = {j.key for j in jobs} if required is None else required
    weight = weight or {}
    group: dict[int, Hashable] = {}
    size: dict[Hashable, int] = {}
    for p, key in enumerate(table_keys):
        name: Hashable = ("table", p) if key is None else ("twins", key, fixed[p])
        group[p] = name
        size[name] = size.get(name, 0) + 1
    model = cp_model.CpModel()
    uses: dict[Hashable, list[tuple[Job, int, cp_model.IntVar]]] = {}
    seated: dict[str, list[cp_model.IntVar]] = {}
    gain = []
    for j, job in enumerate(jobs):
        mask = ((1 << (job.end - job.first)) - 1) << max(job.first, 0)
        seen: set[tuple[Hashable, ...]] = set()
        here = []
        for option in job.options:
            if any(fixed[p] & mask for p in option.tables):
                continue
            signature = tuple(sorted((group[p] for p in option.tables), key=repr))
            if signature in seen:
                continue
            seen.add(signature)
            var = model.new_bool_var(f"x{j}_{len(here)}")
            here.append(var)
            for name in set(signature):
                uses.setdefault(name, []).append((job, signature.count(name), var))
        seated[job.key] = here
        if job.key in required:
            model.add(sum(here) == 1)
        else:
            model.add(sum(here) <= 1)
            gain.append(weight.get(job.key, 1) * sum(here))
    for name, used in uses.items():
        for point in {job.first for job, _, _ in used}:
            active = [n * var for job, n, var in used if job.first <= point < job.end]
            if len(active) > 1:
                model.add(sum(active) <= size[name])
    if gain:
        model.maximize(sum(gain))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    code = solver.solve(model)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    sits: dict[str, Option] = {}
    if status in ("optimal", "feasible"):
        for job in jobs:
            if any(solver.value(v) for v in seated[job.key]):
                sits[job.key] = job.options[0]  # which twin is not decided here
    return Exact(status, sits, solver.objective_value if gain and sits else 0.0)
