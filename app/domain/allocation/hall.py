"""A quick proof that no re-pack exists: at some slot, more parties than tables for them.

At a single slot every party needs a table of its own (a join needs even
more), so if the parties present at a slot cannot each be matched to a
different table among their options, no arrangement of the night can seat
them all. This is only a necessary condition; the exact search decides the rest.
"""

from __future__ import annotations

from collections.abc import Sequence


def overloaded(reach: Sequence[Sequence[int]], blocked: set[int]) -> bool:
    """True when the parties (each by the tables it could use) cannot all have a distinct
    table outside ``blocked``."""
    adjacency = [[p for p in tables if p not in blocked] for tables in reach]
    owner: dict[int, int] = {}

    def augment(job: int, seen: set[int]) -> bool:
        for p in adjacency[job]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = job
                return True
        return False

    order = sorted(range(len(adjacency)), key=lambda j: len(adjacency[j]))
    return not all(augment(job, set()) for job in order)
