"""Fewer moves for the same parties: moved bookings sent home one at a time, the other
moved bookings and the promoted parties re-packed around them.

A moved booking ``m`` can go home without moving anyone else who is at home
exactly when the bookings not at home (the others moved, and the promoted
parties) can be re-packed with ``m`` and every unmoved booking pinned to its
own tables. That is a small packing question (the free bookings are few, the
rest is fixed load), which the exact search answers quickly; a yes is one
booking fewer moved, and often more, since the free bookings try their own
tables first. Chains (``fewer_moves``) can only undo a move by at most three
others' moves; this reaches any re-pack of the bookings already out of place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job, Repack, job_mask
from app.domain.allocation.symmetry import Symmetry

# Search budget for one "can this booking go home" question; a question that needs
# more is left unanswered (the booking stays moved), never guessed.
HOMING_NODES = 2_000


def send_home(
    fixed: Sequence[int],
    jobs: Mapping[str, Job],
    home: Mapping[str, Option],
    positions: dict[str, Option],
    symmetry: Symmetry,
    time_left: Callable[[], bool],
    node_limit: int = HOMING_NODES,
) -> dict[str, Option]:
    """``positions`` (every job's tables) with moved bookings sent home while one can be."""
    masks = {k: job_mask(j) for k, j in jobs.items()}

    def moved(key: str) -> bool:
        return key in home and home[key].tables != positions[key].tables

    tried: set[tuple[str, frozenset[str]]] = set()
    improved = True
    while improved and time_left():
        improved = False
        for key in sorted(k for k in positions if moved(k)):
            if not time_left():
                break
            free = frozenset(k for k in positions if k != key and (k not in home or moved(k)))
            if not moved(key) or (key, free) in tried:
                continue
            tried.add((key, free))
            found = _repack_around(
                fixed, jobs, home, positions, masks, symmetry, key, free, node_limit
            )
            if found is not None:
                positions = found
                improved = True
    return positions


def _repack_around(
    fixed: Sequence[int],
    jobs: Mapping[str, Job],
    home: Mapping[str, Option],
    positions: dict[str, Option],
    masks: Mapping[str, int],
    symmetry: Symmetry,
    key: str,
    free: frozenset[str],
    node_limit: int = HOMING_NODES,
) -> dict[str, Option] | None:
    """The plan with ``key`` at home and only the ``free`` bookings moved, or None."""
    base = list(fixed)
    pinned = [k for k in positions if k not in free]
    for k in pinned:
        tables = home[k].tables if k == key else positions[k].tables
        if any(base[p] & masks[k] for p in tables):
            return None
        for p in tables:
            base[p] |= masks[k]
    loose = [_home_first(jobs[k], positions[k], home.get(k)) for k in sorted(free)]
    repack = Repack(base, loose, symmetry)
    if repack.impossible():
        return None
    result = repack.solve(node_limit)
    if result.assignment is None:
        return None
    return {**positions, key: home[key], **result.assignment}


def _home_first(job: Job, here: Option, own: Option | None) -> Job:
    """The job where it sits now, trying its own tables first, then where it is, then the rest."""
    first = [o for o in (own, here) if o is not None]
    seen = {o.tables for o in first}
    if own is not None and own.tables == here.tables:
        first = [here]
    rest = tuple(o for o in job.options if o.tables not in seen)
    return replace(job, current=here, options=(*first, *rest))
