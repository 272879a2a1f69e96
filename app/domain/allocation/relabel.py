"""Fewer moves for the same plan: parties that sit on interchangeable tables are dealt
out to those tables again, each to its own table wherever possible.

Within a kind of plain table (twins: same covers, same flags, not joinable)
any way of dealing the parties out that keeps each table free of overlaps is
the same plan. Dealing them in start order, a party takes its own table if
it is free, else the free table that is wanted again (by a party that sits
there now) the latest; this keeps most parties where they were and undoes
shuffles that a re-pack leaves behind (two parties swapping tables, or a
string of them along the evening).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.allocation.options import Option
from app.domain.allocation.packing import Job, job_mask
from app.domain.allocation.repack import keep_in_place
from app.domain.allocation.symmetry import Symmetry


def settle(
    assignment: dict[str, Option], jobs: Iterable[Job], fixed: list[int], symmetry: Symmetry
) -> dict[str, Option]:
    """Bookings back on their own tables where there is room (``keep_in_place``), with or
    without dealing twins out again first, whichever leaves fewer bookings moved."""
    listed = list(jobs)
    home = {j.key: j.current.tables for j in listed if j.current is not None}
    dealt = relabel(assignment, listed, fixed, symmetry)
    tidied = [keep_in_place(a, listed, fixed) for a in (assignment, dealt)]
    return min(
        tidied, key=lambda a: sum(1 for k, o in a.items() if home.get(k, o.tables) != o.tables)
    )


def relabel(
    assignment: dict[str, Option], jobs: Iterable[Job], fixed: list[int], symmetry: Symmetry
) -> dict[str, Option]:
    """The plan with parties on plain twin tables dealt out again; unchanged elsewhere."""
    by_key = {j.key: j for j in jobs if j.key in assignment}
    plain = {
        p for unit, members in enumerate(symmetry.members) if len(members) == 1 for p in members
    }
    by_kind: dict[int, list[str]] = {}
    for key, option in assignment.items():
        if key in by_key and len(option.tables) == 1 and option.tables[0] in plain:
            by_kind.setdefault(symmetry.kind[option.tables[0]], []).append(key)
    result = dict(assignment)
    for keys in by_kind.values():
        dealt = _deal([by_key[k] for k in keys], {assignment[k].tables[0] for k in keys}, fixed)
        if dealt is not None:
            for key, p in dealt.items():
                job = by_key[key]
                if job.current is not None and job.current.tables == (p,):
                    result[key] = job.current
                else:
                    result[key] = next(
                        (o for o in job.options if o.tables == (p,)), assignment[key]
                    )
    return result


def _deal(jobs: list[Job], tables: set[int], fixed: list[int]) -> dict[str, int] | None:
    """Each job to one of ``tables``, own table first; None if some job finds none free."""
    home = {
        j.key: j.current.tables[0]
        for j in jobs
        if j.current is not None and len(j.current.tables) == 1 and j.current.tables[0] in tables
    }
    order = sorted(jobs, key=lambda j: (j.first, j.end, j.key))
    free_from = dict.fromkeys(tables, -(10**9))
    dealt: dict[str, int] = {}
    for n, job in enumerate(order):
        mask = job_mask(job)
        free = [p for p in tables if free_from[p] <= job.first and not fixed[p] & mask]
        if not free:
            return None
        own = home.get(job.key)
        if own in free:
            chosen = own
        else:
            chosen = max(free, key=lambda p: (_wanted_next(p, order, n, home), p))
        dealt[job.key] = chosen
        free_from[chosen] = job.end
    return dealt


def _wanted_next(table: int, order: list[Job], after: int, home: dict[str, int]) -> int:
    """When a later party whose own table this is next starts (never: very late)."""
    for job in order[after + 1 :]:
        if home.get(job.key) == table:
            return job.first
    return 10**9
