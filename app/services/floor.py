"""The manager's floor-plan edits: move, rotate, resize, add and retire tables."""

from __future__ import annotations

from dataclasses import replace

from app.domain.errors import InvalidInput, NotFound
from app.domain.floorplan import FloorPlan, Table
from app.domain.permissions import Action, Staff
from app.models.convert import table_dict
from app.models.journal import Change
from app.models.uow import Store
from app.services.common import Clock
from app.sync.protocol import IntentName


class FloorEditing:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def save_table(self, staff: Staff, table: Table) -> Table:
        """Store a table as the manager left it (called on mouse release, not every move)."""
        staff.require(Action.EDIT_FLOOR_PLAN)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            others = tuple(t for t in bundle.plan.tables if t.id != table.id)
            FloorPlan(bundle.plan.areas, (*others, table), bundle.plan.combinations)
            if table.area_id not in {a.id for a in bundle.plan.areas}:
                raise InvalidInput("area", "Choose one of the venue's areas.")
            try:
                before = bundle.plan.table(table.id)
            except NotFound:
                before = None
            before_dict = table_dict(before) if before else None
            uow.venue.save_table(bundle.venue.id, table, now)
            args = {k: v for k, v in table_dict(table).items() if k != "id"}
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.UPDATE_TABLE,
                entity_id=table.id,
                base_version=uow.venue.table_row(table.id).version,  # type: ignore[union-attr]
                args=args,
                previous=before_dict or {},
                changes=[Change("table", table.id, before_dict, table_dict(table))],
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
