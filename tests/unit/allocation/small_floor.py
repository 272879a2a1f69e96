"""A small room with every kind of table the engine must reason about, and jobs on it.

Two 1–2 tables, three 2–4, two 4–6, and two joinable pairs (4–6 + 3–6, for
parties of 7–12): twins, twin units of joined tables, and kinds that
overlap, in few enough tables for the exact solver to answer at once.
"""

from __future__ import annotations

from app.domain.allocation.options import Catalogue
from app.domain.allocation.packing import Job
from app.domain.allocation.symmetry import Symmetry, symmetry_of
from app.domain.floorplan import Area, Combination, FloorPlan, Table


def small_floor(pairs: int = 2) -> FloorPlan:
    tables: list[Table] = []

    def add(low: int, high: int) -> Table:
        table = Table(f"t{len(tables) + 1}", len(tables) + 1, "main", low, high)
        tables.append(table)
        return table

    for low, high, count in ((1, 2, 2), (2, 4, 3), (4, 6, 2)):
        for _ in range(count):
            add(low, high)
    joins = []
    for n in range(pairs):
        a, b = add(4, 6), add(3, 6)
        joins.append(
            Combination(f"c{n}", f"{a.number} + {b.number}", frozenset({a.id, b.id}), 7, 12)
        )
    return FloorPlan((Area("main", "Main"),), tuple(tables), tuple(joins))


class Room:
    """A catalogue and its symmetry, and a way to write jobs as (party, first, end)."""

    def __init__(self, plan: FloorPlan) -> None:
        self.catalogue = Catalogue(plan)
        self.symmetry: Symmetry = symmetry_of(self.catalogue)

    def job(self, key: str, party: int, first: int, end: int, on: tuple[int, ...] = ()) -> Job:
        """A job for the party; ``on``: the table numbers it holds now (tried first)."""
        options = self.catalogue.options(party)
        if not on:
            return Job(key, first, end, options, None, party)
        tables = tuple(self.catalogue.position[f"t{n}"] for n in on)
        current = next(o for o in options if o.tables == tables)
        others = tuple(o for o in options if o is not current)
        return Job(key, first, end, (current, *others), current, party)

    @property
    def empty(self) -> list[int]:
        return [0] * len(self.catalogue.tables)
