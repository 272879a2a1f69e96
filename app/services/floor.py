"""The manager's floor-plan edits: tables, areas and the combinations tables join in.

Each edit is one unit of work: the row, its audit event and one intent
(``update_table``, ``update_area`` or ``update_combination``) commit together.
Areas and combinations are never deleted: removing or retiring one stores it
with ``active`` false, so it syncs like any other change and can be brought back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.domain.errors import NotFound
from app.domain.floor_edits import refuse_stranding, table_uses
from app.domain.floorplan import Area, Combination, FloorPlan, Table
from app.domain.permissions import Action, Staff
from app.domain.plan_data import table_to_dict
from app.domain.rules import VenueRules
from app.models.journal import Change
from app.models.uow import Store, UnitOfWork
from app.protocol import IntentName, UpdateAreaArgs, UpdateCombinationArgs, UpdateTableArgs
from app.services.common import Clock, wire


@dataclass(frozen=True, slots=True)
class AreaSaved:
    area: Area
    active: bool
    message: str


@dataclass(frozen=True, slots=True)
class CombinationSaved:
    combination: Combination
    active: bool
    message: str


class FloorEditing:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # Tables -------------------------------------------------------------------------

    def save_table(self, staff: Staff, table: Table) -> Table:
        """Store a table as the manager left it (called on mouse release, not every move)."""
        staff.require(Action.EDIT_FLOOR_PLAN)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            after = bundle.plan.with_table(table)
            self._refuse_stranding(uow, bundle, after, now, what=table.label)
            try:
                before = bundle.plan.table(table.id)
            except NotFound:
                before = None
            before_dict = _table_fields(before) if before else None
            uow.venue.save_table(bundle.venue.id, table, now)
            args = wire(
                UpdateTableArgs, **{k: v for k, v in _table_fields(table).items() if k != "id"}
            )
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.UPDATE_TABLE,
                entity_id=table.id,
                base_version=uow.venue.table_row(table.id).version,  # type: ignore[union-attr]
                args=args,
                previous=before_dict or {},
                changes=[Change("table", table.id, before_dict, _table_fields(table))],
            )
            uow.commit()
        return table

    def move_table(
        self, staff: Staff, table_id: str, x: float, y: float, rotation: float | None = None
    ) -> Table:
        with self.store.read() as reader:
            table = reader.venue.get().plan.table(table_id)
        changes: dict[str, float] = {"x": round(x, 1), "y": round(y, 1)}
        if rotation is not None:
            changes["rotation"] = rotation % 360
        return self.save_table(staff, replace(table, **changes))

    # Areas ----------------------------------------------------------------------------

    def save_area(self, staff: Staff, area: Area) -> AreaSaved:
        """Add an area, rename it or change its VIP flag (a removed one comes back)."""
        staff.require(Action.EDIT_FLOOR_PLAN)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            tidy = bundle.plan.with_area(area).area(area.id)
            before = self._journal_area(uow, staff, now, bundle.venue.id, tidy, active=True)
            uow.commit()
        if before is None or not before["active"]:
            message = f"Area {tidy.name} added."
        elif before["name"] != tidy.name:
            message = f"Area {before['name']} is now {tidy.name}."
        else:
            message = f"Area {tidy.name} saved."
        return AreaSaved(tidy, True, message)

    def remove_area(self, staff: Staff, area_id: str) -> AreaSaved:
        """Take an empty area off the plan (refused, naming them, while it has tables)."""
        staff.require(Action.EDIT_FLOOR_PLAN)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            area = bundle.plan.area(area_id)
            bundle.plan.without_area(area_id)
            self._journal_area(uow, staff, now, bundle.venue.id, area, active=False)
            uow.commit()
        return AreaSaved(area, False, f"Area {area.name} removed.")

    def _journal_area(
        self,
        uow: UnitOfWork,
        staff: Staff,
        now: datetime,
        venue_id: str,
        area: Area,
        *,
        active: bool,
    ) -> dict[str, Any] | None:
        """Store the area and journal the change; the fields it had before, if any."""
        stored = uow.venue.stored_area(area.id)
        before = stored.fields if stored else None
        after = {"name": area.name, "vip": area.vip, "active": active}
        uow.venue.save_area(venue_id, area, active, now)
        uow.journal.record(
            staff=staff,
            at=now,
            intent=IntentName.UPDATE_AREA,
            entity_id=area.id,
            base_version=stored.version if stored else 0,
            args=wire(UpdateAreaArgs, **after),
            previous=before or {},
            changes=[Change("area", area.id, _with_id(area.id, before), _with_id(area.id, after))],
        )
        return before

    # Combinations ---------------------------------------------------------------------

    def save_combination(self, staff: Staff, combo: Combination) -> CombinationSaved:
        """Add or change a combination (a retired one comes back under its own id)."""
        staff.require(Action.EDIT_FLOOR_PLAN)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            after = bundle.plan.with_combination(combo)
            self._refuse_stranding(uow, bundle, after, now)
            tidy = after.combination(combo.id)
            self._journal_combination(uow, staff, now, bundle, tidy, active=True)
            uow.commit()
        numbers = after.numbers(tidy.table_ids)
        return CombinationSaved(
            tidy,
            True,
            f"Tables {numbers} combine for parties of {tidy.min_party}–{tidy.max_party}.",
        )

    def retire_combination(self, staff: Staff, combination_id: str) -> CombinationSaved:
        """Stop offering a combination; refused while a booking still relies on it."""
        staff.require(Action.EDIT_FLOOR_PLAN)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            combo = bundle.plan.combination(combination_id)
            after = bundle.plan.without_combination(combination_id)
            self._refuse_stranding(uow, bundle, after, now)
            self._journal_combination(uow, staff, now, bundle, combo, active=False)
            uow.commit()
        numbers = bundle.plan.numbers(combo.table_ids)
        return CombinationSaved(combo, False, f"Tables {numbers} are no longer combined.")

    def _refuse_stranding(
        self,
        uow: UnitOfWork,
        bundle: VenueRules,
        after: FloorPlan,
        now: datetime,
        what: str = "this combination",
    ) -> None:
        since = bundle.venue.service_day(now) - timedelta(days=1)
        uses = table_uses(uow.bookings.holding_tables_from(since), now)
        refuse_stranding(bundle.plan, after, uses, bundle.venue, what)

    def _journal_combination(
        self,
        uow: UnitOfWork,
        staff: Staff,
        now: datetime,
        bundle: VenueRules,
        combo: Combination,
        *,
        active: bool,
    ) -> None:
        stored = uow.venue.stored_combination(combo.id)
        before = stored.fields if stored else None
        uow.venue.save_combination(bundle.venue.id, combo, active, now)
        after = {
            "name": combo.name,
            "table_ids": sorted(combo.table_ids),
            "min_party": combo.min_party,
            "max_party": combo.max_party,
            "strategy": combo.strategy,
            "active": active,
        }
        uow.journal.record(
            staff=staff,
            at=now,
            intent=IntentName.UPDATE_COMBINATION,
            entity_id=combo.id,
            base_version=stored.version if stored else 0,
            args=wire(UpdateCombinationArgs, **after),
            previous=before or {},
            changes=[
                Change(
                    "combination", combo.id, _with_id(combo.id, before), _with_id(combo.id, after)
                )
            ],
        )


def _with_id(entity_id: str, fields: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if fields is None else {"id": entity_id, **fields}


def _table_fields(t: Table) -> dict[str, Any]:
    """A table as its update intent carries it: the plan file's fields the intent knows."""
    return {
        k: v for k, v in table_to_dict(t).items() if k == "id" or k in UpdateTableArgs.model_fields
    }
