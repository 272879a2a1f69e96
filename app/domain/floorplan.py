"""Areas, tables and the combinations of tables a venue allows, all as data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.errors import InvalidInput, NotFound
from app.domain.limits import MAX_PENCE, MAX_TABLE_NUMBER

# The longest area or combination name staff may type (the desk's column holds 80).
NAME_LENGTH = 80


class Shape(StrEnum):
    ROUND = "round"
    SQUARE = "square"
    RECT = "rect"
    BOOTH = "booth"


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str
    vip: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    number: int
    area_id: str
    min_covers: int
    max_covers: int
    name: str = ""
    shape: Shape = Shape.SQUARE
    x: float = 0.0
    y: float = 0.0
    width: float = 60.0
    height: float = 60.0
    rotation: float = 0.0
    booth: bool = False
    vip: bool = False
    # A retired table keeps its history but takes no new bookings.
    active: bool = True
    # A minimum spend in pence (booths sold with a minimum); 0 means none.
    min_spend_pence: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.number <= MAX_TABLE_NUMBER:
            raise InvalidInput("number", f"A table's number is 1–{MAX_TABLE_NUMBER:,}.")
        if len(self.name) > NAME_LENGTH:
            raise InvalidInput("name", f"A table's name is at most {NAME_LENGTH} characters.")
        if not 0 <= self.min_spend_pence <= MAX_PENCE:
            raise InvalidInput(
                "min_spend",
                f"Table {self.number}: a minimum spend is £0–£{MAX_PENCE // 100:,}.",
            )
        if self.min_covers < 1 or self.max_covers < self.min_covers:
            raise InvalidInput(
                "covers",
                f"Table {self.number}: covers must be 1 ≤ min ≤ max "
                f"(got {self.min_covers}–{self.max_covers}).",
            )

    @property
    def label(self) -> str:
        return self.name or f"Table {self.number}"

    def fits(self, party_size: int) -> bool:
        return self.min_covers <= party_size <= self.max_covers


@dataclass(frozen=True, slots=True)
class Combination:
    """Tables that may be joined, for parties within ``min_party``–``max_party``."""

    id: str
    name: str
    table_ids: frozenset[str]
    min_party: int
    max_party: int
    strategy: str = "COMBINED"

    def __post_init__(self) -> None:
        if len(self.table_ids) < 2:
            raise InvalidInput("tables", f"Combination {self.name} needs at least two tables.")
        if self.min_party < 1 or self.max_party < self.min_party:
            raise InvalidInput(
                "party",
                f"Combination {self.name}: party range must be 1 ≤ min ≤ max.",
            )

    def fits(self, party_size: int) -> bool:
        return self.min_party <= party_size <= self.max_party


@dataclass(frozen=True, slots=True)
class FloorPlan:
    areas: tuple[Area, ...]
    tables: tuple[Table, ...]
    combinations: tuple[Combination, ...] = ()
    _by_id: dict[str, Table] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.tables})
        numbers = [t.number for t in self.tables if t.active]
        if len(numbers) != len(set(numbers)):
            raise InvalidInput("tables", "Two active tables share a number.")
        for combo in self.combinations:
            unknown = combo.table_ids - self._by_id.keys()
            if unknown:
                raise InvalidInput("tables", f"Combination {combo.name} names unknown tables.")

    def table(self, table_id: str) -> Table:
        try:
            return self._by_id[table_id]
        except KeyError:
            raise NotFound(f"There is no table with id {table_id}.") from None

    def area(self, area_id: str) -> Area:
        for a in self.areas:
            if a.id == area_id:
                return a
        raise NotFound(f"There is no area with id {area_id}.")

    def combination(self, combination_id: str) -> Combination:
        for c in self.combinations:
            if c.id == combination_id:
                return c
        raise NotFound("That combination is not in use on this floor plan.")

    def table_by_number(self, number: int) -> Table:
        for t in self.tables:
            if t.number == number and t.active:
                return t
        raise NotFound(f"There is no table {number}.")

    def active_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.active)

    def combinable_table_ids(self) -> frozenset[str]:
        return frozenset(tid for c in self.combinations for tid in c.table_ids)

    def combination_for(self, table_ids: Iterable[str]) -> Combination | None:
        wanted = frozenset(table_ids)
        for combo in self.combinations:
            if combo.table_ids == wanted:
                return combo
        return None

    def largest_party(self) -> int:
        """The biggest party any single table or combination can seat."""
        sizes = [t.max_covers for t in self.active_tables()]
        sizes += [
            c.max_party
            for c in self.combinations
            if all(self._by_id[tid].active for tid in c.table_ids)
        ]
        return max(sizes, default=0)

    def seats(self, table_ids: Iterable[str]) -> int:
        """The most a party on these tables can be: a table's covers, or the combination's
        largest party (15 + 16 seat 12, not a table's 6)."""
        ids = frozenset(table_ids)
        if len(ids) == 1:
            return self.table(next(iter(ids))).max_covers
        combo = self.combination_for(ids)
        return combo.max_party if combo else sum(self.table(t).max_covers for t in ids)

    def numbers(self, table_ids: Iterable[str]) -> str:
        """``15 + 16`` for staff, from table ids."""
        nums = sorted(self.table(tid).number for tid in table_ids)
        return " + ".join(str(n) for n in nums)

    def check_seating(self, table_ids: Iterable[str], party_size: int) -> Combination | None:
        """Refuse tables that cannot seat the party; return the combination used, if any."""
        ids = frozenset(table_ids)
        if not ids:
            raise InvalidInput("tables", "Choose a table.")
        tables = [self.table(tid) for tid in ids]
        retired = [t for t in tables if not t.active]
        if retired:
            raise InvalidInput("tables", f"{retired[0].label} is retired and takes no bookings.")
        if len(tables) == 1:
            t = tables[0]
            if not t.fits(party_size):
                raise InvalidInput(
                    "tables",
                    f"{t.label} seats {t.min_covers}–{t.max_covers}, not a party of {party_size}.",
                )
            return None
        combo = self.combination_for(ids)
        if combo is None:
            raise InvalidInput("tables", f"Tables {self.numbers(ids)} cannot be combined.")
        if not combo.fits(party_size):
            raise InvalidInput(
                "tables",
                f"Tables {self.numbers(ids)} combine for parties of "
                f"{combo.min_party}–{combo.max_party}, not {party_size}.",
            )
        return combo

    # Edits a manager makes: each returns the plan as it would be, or refuses with
    # the field staff must correct. Retired combinations and removed areas are
    # not part of a plan, so they neither clash with nor block anything.

    def with_area(self, area: Area) -> FloorPlan:
        """The plan with ``area`` added or changed; its name must be new and non-empty."""
        name = tidy_name(area.name)
        if not name:
            raise InvalidInput("name", "Give the area a name.")
        if len(name) > NAME_LENGTH:
            raise InvalidInput("name", f"An area's name is at most {NAME_LENGTH} characters.")
        for other in self.areas:
            if other.id != area.id and other.name.casefold() == name.casefold():
                raise InvalidInput("name", f"There is already an area called {other.name}.")
        tidy = Area(area.id, name, area.vip)
        others = tuple(a for a in self.areas if a.id != area.id)
        return FloorPlan((*others, tidy), self.tables, self.combinations)

    def without_area(self, area_id: str) -> FloorPlan:
        """The plan without the area; refused while active tables stand in it."""
        area = self.area(area_id)
        inside = sorted(t.number for t in self.active_tables() if t.area_id == area_id)
        if inside:
            label = "table" if len(inside) == 1 else "tables"
            numbers = ", ".join(str(n) for n in inside)
            raise InvalidInput(
                "area",
                f"{area.name} still has {label} {numbers}; move or remove them first.",
            )
        if len(self.areas) == 1:
            raise InvalidInput("area", f"{area.name} is the only area; a venue needs one.")
        others = tuple(a for a in self.areas if a.id != area_id)
        return FloorPlan(others, self.tables, self.combinations)

    def with_combination(self, combo: Combination) -> FloorPlan:
        """The plan with ``combo`` added or changed, checked against the tables it joins."""
        if len(tidy_name(combo.name)) > NAME_LENGTH:
            raise InvalidInput("name", f"A combination's name is at most {NAME_LENGTH} characters.")
        tables = []
        for tid in combo.table_ids:
            try:
                tables.append(self.table(tid))
            except NotFound:
                gone = "A table in this combination no longer exists."
                raise InvalidInput("tables", gone) from None
        retired = sorted(t.number for t in tables if not t.active)
        if retired:
            raise InvalidInput(
                "tables", f"Table {', '.join(map(str, retired))} is retired and cannot be joined."
            )
        numbers = self.numbers(combo.table_ids)
        seats = sum(t.max_covers for t in tables)
        if combo.max_party > seats:
            raise InvalidInput(
                "party",
                f"Tables {numbers} seat {seats} at most, so they cannot take a party of "
                f"{combo.max_party}.",
            )
        for other in self.combinations:
            if other.id != combo.id and other.table_ids == combo.table_ids:
                raise InvalidInput(
                    "tables",
                    f"Tables {numbers} already combine for parties of "
                    f"{other.min_party}–{other.max_party}.",
                )
        tidy = Combination(
            combo.id,
            tidy_name(combo.name) or numbers,
            combo.table_ids,
            combo.min_party,
            combo.max_party,
            combo.strategy,
        )
        others = tuple(c for c in self.combinations if c.id != combo.id)
        return FloorPlan(self.areas, self.tables, (*others, tidy))

    def with_table(self, table: Table) -> FloorPlan:
        """The plan with ``table`` added or changed: in one of its areas, its number its
        own, and still seating every party each combination it is part of promises."""
        if table.area_id not in {a.id for a in self.areas}:
            raise InvalidInput("area", "Choose one of the venue's areas.")
        others = tuple(t for t in self.tables if t.id != table.id)
        if table.active and any(t.active and t.number == table.number for t in others):
            raise InvalidInput("number", f"Another table is already number {table.number}.")
        after = FloorPlan(self.areas, (*others, table), self.combinations)
        for combo in self.combinations:
            if table.id not in combo.table_ids or not table.active:
                continue
            seats = sum(after.table(t).max_covers for t in combo.table_ids)
            # Only this edit's doing: a plan loaded short of a join's promise is not
            # refused every time one of its tables is dragged.
            was = sum(self.table(t).max_covers for t in combo.table_ids)
            if seats < combo.max_party <= was:
                raise InvalidInput(
                    "covers",
                    f"Tables {after.numbers(combo.table_ids)} combine for parties of up to "
                    f"{combo.max_party}; with {table.label} seating {table.max_covers} they "
                    f"seat {seats}. Change the combination first.",
                )
        return after

    def minimum_spend(self, table_ids: Iterable[str]) -> int:
        """What a party on these tables is asked to spend, in pence: each table's minimum,
        added up for joined tables (0: none; a table this plan does not know asks none)."""
        return sum(t.min_spend_pence for tid in table_ids if (t := self._by_id.get(tid)))

    def without_combination(self, combination_id: str) -> FloorPlan:
        self.combination(combination_id)
        others = tuple(c for c in self.combinations if c.id != combination_id)
        return FloorPlan(self.areas, self.tables, others)


def tidy_name(name: str) -> str:
    return " ".join(name.split())
