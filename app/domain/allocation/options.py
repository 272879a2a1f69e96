"""The ways a party can sit: single tables and data-driven combinations, best first."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.floorplan import Combination, FloorPlan, Table


@dataclass(frozen=True, slots=True)
class Seating:
    table_ids: tuple[str, ...]
    combination: Combination | None = None

    @property
    def combined(self) -> bool:
        return self.combination is not None


@dataclass(frozen=True, slots=True)
class Option:
    """A seating with the positions of its tables in the catalogue."""

    seating: Seating
    tables: tuple[int, ...]
    seats: int

    @property
    def table_ids(self) -> tuple[str, ...]:
        return self.seating.table_ids


def is_vip_table(plan: FloorPlan, table: Table) -> bool:
    return table.vip or any(a.id == table.area_id and a.vip for a in plan.areas)


@dataclass(slots=True)
class Catalogue:
    """Every table of a floor plan by position, and the options per party size.

    Singles come first, by wasted seats and then combinable tables last (so
    that small parties leave the tables big groups need); combinations follow,
    tightest first, so a combination is only chosen when no single table fits.
    Guests who are not VIP are never offered a VIP table.
    """

    plan: FloorPlan
    tables: tuple[Table, ...] = field(init=False)
    position: dict[str, int] = field(init=False)
    vip_table: tuple[bool, ...] = field(init=False)
    _cache: dict[tuple[int, bool], tuple[Option, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.tables = self.plan.tables
        self.position = {t.id: i for i, t in enumerate(self.tables)}
        self.vip_table = tuple(is_vip_table(self.plan, t) for t in self.tables)
        self._cache = {}

    def options(self, party_size: int, vip: bool = False) -> tuple[Option, ...]:
        key = (party_size, vip)
        found = self._cache.get(key)
        if found is None:
            found = self._build(party_size, vip)
            self._cache[key] = found
        return found

    def option_for(self, table_ids: tuple[str, ...]) -> Option | None:
        """The option for tables a booking already holds (they may be anything staff chose)."""
        known = [tid for tid in table_ids if tid in self.position]
        if not known:
            return None
        ordered = tuple(sorted(known, key=lambda tid: self.tables[self.position[tid]].number))
        combo = self.plan.combination_for(ordered) if len(ordered) > 1 else None
        positions = tuple(self.position[tid] for tid in ordered)
        seats = sum(self.tables[p].max_covers for p in positions)
        return Option(Seating(ordered, combo), positions, seats)

    def _usable(self, index: int, vip: bool) -> bool:
        return self.tables[index].active and (vip or not self.vip_table[index])

    def _build(self, party_size: int, vip: bool) -> tuple[Option, ...]:
        combinable = self.plan.combinable_table_ids()
        singles = [
            (i, t) for i, t in enumerate(self.tables) if self._usable(i, vip) and t.fits(party_size)
        ]
        singles.sort(key=lambda it: (it[1].max_covers, it[1].id in combinable, it[1].number))
        options = [Option(Seating((t.id,)), (i,), t.max_covers) for i, t in singles]
        combos: list[Option] = []
        for combo in self.plan.combinations:
            positions = [self.position[tid] for tid in combo.table_ids]
            if combo.fits(party_size) and all(self._usable(p, vip) for p in positions):
                positions.sort(key=lambda p: self.tables[p].number)
                ids = tuple(self.tables[p].id for p in positions)
                seats = sum(self.tables[p].max_covers for p in positions)
                combos.append(Option(Seating(ids, combo), tuple(positions), seats))
        combos.sort(
            key=lambda o: (o.seats, o.seating.combination.name if o.seating.combination else "")
        )
        return tuple(options + combos)
