"""Which tables a search may treat as interchangeable.

A *unit* is a table together with every table it can be joined to (the
connected part of the combination graph); a plain table is a unit of one.
Two units are interchangeable when their tables have the same covers, VIP
flag and state, and their joins have the same party ranges, role for role:
swapping them turns any plan into an equally good one. The three 4–6 + 3–6
pairs of a 40-table room are such units, as are the fifteen 2–4 tables.

Whether two interchangeable units are also equal *at a moment* of the
search depends on what is booked on them later; the search compares that
(``packing``). Tables a booking holds in a way no option describes (staff
chose them by hand) are kept apart, since no swap maps that booking onto
another option.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from app.domain.allocation.options import Catalogue

Shape = tuple[tuple[int, int, tuple[int, ...]], ...]
Tally = tuple[int, int, tuple[tuple[int, int], ...]]


@dataclass(frozen=True, slots=True)
class Symmetry:
    unit_of: tuple[int, ...]  # table position -> unit
    role: tuple[int, ...]  # table position -> its place within its unit
    members: tuple[tuple[int, ...], ...]  # unit -> table positions, by role
    group_of: tuple[int, ...]  # unit -> group of interchangeable units
    _shapes: dict[tuple[int, ...], Shape] = field(default_factory=dict, compare=False, repr=False)
    _tallies: dict[tuple[int, ...], Tally] = field(default_factory=dict, compare=False, repr=False)
    _twin_keys: dict[tuple[int, ...], tuple[Hashable, tuple[int, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    kind: tuple[int, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[int, int], int] = {}
        kinds = tuple(
            index.setdefault((self.group_of[self.unit_of[p]], self.role[p]), len(index))
            for p in range(len(self.unit_of))
        )
        object.__setattr__(self, "kind", kinds)

    @property
    def kinds(self) -> int:
        """How many kinds of table: tables of one kind are the same role in twin units."""
        return max(self.kind, default=-1) + 1

    def tally(self, tables: tuple[int, ...]) -> Tally:
        """A seating as kinds of table: (bitset of kinds, tables, ((kind, tables), ...))."""
        found = self._tallies.get(tables)
        if found is None:
            counts: dict[int, int] = {}
            for p in tables:
                counts[self.kind[p]] = counts.get(self.kind[p], 0) + 1
            bitset = sum(1 << k for k in counts)
            found = (bitset, len(tables), tuple(sorted(counts.items())))
            self._tallies[tables] = found
        return found

    def shape(self, tables: tuple[int, ...]) -> Shape:
        """The units a seating uses, each with its kind and the roles of the tables used."""
        found = self._shapes.get(tables)
        if found is None:
            roles: dict[int, list[int]] = {}
            for p in tables:
                roles.setdefault(self.unit_of[p], []).append(self.role[p])
            found = tuple((u, self.group_of[u], tuple(sorted(r))) for u, r in sorted(roles.items()))
            self._shapes[tables] = found
        return found

    def twin_key(self, tables: tuple[int, ...]) -> tuple[Hashable, tuple[int, ...]]:
        """What makes two seatings twins at a moment: the same kinds and roles of unit
        (the key), and every table of those units equally busy from then on."""
        found = self._twin_keys.get(tables)
        if found is None:
            used = self.shape(tables)
            key = tuple((group, roles) for _, group, roles in used)
            units = tuple(p for u, _, _ in used for p in self.members[u])
            found = (key, units)
            self._twin_keys[tables] = found
        return found


def symmetry_of(catalogue: Catalogue, apart: Iterable[int] = ()) -> Symmetry:
    """The units of a floor plan and which of them are interchangeable.

    ``apart``: table positions to keep apart from every other unit.
    """
    tables = catalogue.tables
    count = len(tables)
    parent = list(range(count))

    def root(p: int) -> int:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    joins: list[tuple[tuple[int, ...], int, int]] = []
    for combo in catalogue.plan.combinations:
        positions = tuple(sorted(catalogue.position[t] for t in combo.table_ids))
        joins.append((positions, combo.min_party, combo.max_party))
        for p in positions[1:]:
            parent[root(p)] = root(positions[0])

    def profile(p: int) -> Hashable:
        t = tables[p]
        return (t.min_covers, t.max_covers, catalogue.vip_table[p], t.active)

    by_root: dict[int, list[int]] = {}
    for p in range(count):
        by_root.setdefault(root(p), []).append(p)
    members = [tuple(sorted(ps, key=lambda p: (repr(profile(p)), p))) for ps in by_root.values()]
    members.sort(key=lambda ps: ps[0])
    unit_of = [0] * count
    role = [0] * count
    for u, ps in enumerate(members):
        for r, p in enumerate(ps):
            unit_of[p] = u
            role[p] = r
    kept_apart = set(apart)
    signatures: dict[Hashable, int] = {}
    group_of: list[int] = []
    for u, ps in enumerate(members):
        inner = sorted(
            (tuple(sorted(role[p] for p in positions)), low, high)
            for positions, low, high in joins
            if unit_of[positions[0]] == u
        )
        signature: Hashable = (tuple(profile(p) for p in ps), tuple(inner))
        if kept_apart.intersection(ps):
            signature = ("apart", u)
        group_of.append(signatures.setdefault(signature, len(signatures)))
    return Symmetry(tuple(unit_of), tuple(role), tuple(members), tuple(group_of))
