"""The exact reference with twin tables pooled, for the benchmarks' hindsight figures.

The plain exact solver is the tests' oracle (``tests/oracles/exact.py``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from ortools.sat.python import cp_model

from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job
from tests.oracles.exact import Exact, run


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
    solver, status = run(model, time_limit, workers)
    sits: dict[str, Option] = {}
    if status in ("optimal", "feasible"):
        for job in jobs:
            if any(solver.value(v) for v in seated[job.key]):
                sits[job.key] = job.options[0]  # which twin is not decided here
    return Exact(status, sits, solver.objective_value if gain and sits else 0.0)
