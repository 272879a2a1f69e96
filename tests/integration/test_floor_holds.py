"""A table another desk is booking right now shows as held on this desk's floor."""

import uuid
from datetime import time, timedelta

from app.models.sync_tables import SyncHoldRow
from app.services.queries import TableState


def hold_from_another_desk(desk, store, table_id, start, end, expires_at):
    """What a sync page leaves in the mirror: another desk's live hold."""
    with store.unit_of_work() as uow:
        uow.session.add(
            SyncHoldRow(
                id=str(uuid.uuid4()),
                data={
                    "table_ids": [table_id],
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "device_id": str(uuid.uuid4()),
                    "device_name": "Manager laptop",
                    "staff_name": "Alex Moore",
                    "expires_at": expires_at.isoformat(),
                },
            )
        )
        uow.commit()


def test_a_table_held_by_another_desk_is_shown_held_until_the_hold_expires(desk, store, clock):
    day = desk.queries.tonight()
    at = desk.queries.venue().venue.wall_time_on(day, time(21, 0))
    table = desk.queries.venue().plan.table_by_number(7)
    hold_from_another_desk(
        desk, store, table.id, at, at + timedelta(hours=2), clock.now + timedelta(minutes=2)
    )

    held = desk.queries.floor_at(day, at)[table.id].state
    clock.advance(minutes=3)
    expired = desk.queries.floor_at(day, at)[table.id].state

    assert held is TableState.HELD
    assert expired is TableState.FREE


def test_a_hold_for_another_time_leaves_the_table_free_now(desk, store, clock):
    day = desk.queries.tonight()
    at = desk.queries.venue().venue.wall_time_on(day, time(18, 0))
    table = desk.queries.venue().plan.table_by_number(7)
    later = at + timedelta(hours=3)
    hold_from_another_desk(
        desk, store, table.id, later, later + timedelta(hours=2), clock.now + timedelta(minutes=2)
    )

    assert desk.queries.floor_at(day, at)[table.id].state is TableState.FREE
