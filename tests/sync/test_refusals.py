"""Changes the server refused are listed in staff words until someone on the desk reads them."""

from __future__ import annotations

import sqlite3
import uuid

from app.domain.floorplan import Area
from app.domain.permissions import Role
from app.domain.references import format_reference
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.services.form_hold import FormHold
from app.sync.holds import HoldKeeper
from app.sync.status import SyncState
from tests.sync.test_form_hold import SEVEN, booking_on_seven
from tests.sync.test_holds import Monotonic
from tests.sync.test_push_and_pull import book
from tests.sync.world import EVENING, TABLE, SyncDesk

ROWS = ("booking", "customer", "outbox", "audit_event", "sync_outcome", "sync_shadow")


def refused_move_and_area(desks) -> tuple[SyncDesk, str]:
    """The manager's laptop, offline, moves a party that has gone home and adds an area
    the reception desk added first; its next sync brings two refusals. Returns the
    laptop and the party's booking reference."""
    reception, manager = desks("Reception"), desks("Manager laptop")
    made = book(reception, 9, party=4)
    reception.engine.sync_once()
    manager.engine.sync_once()
    sam, alex = reception.staff(Role.RECEPTION), manager.staff(Role.MANAGER)
    reception.desk.lifecycle.seat(sam, made.booking.id)
    reception.desk.lifecycle.complete(sam, made.booking.id)
    reception.desk.floor.save_area(reception.staff(Role.MANAGER), Area(str(uuid.uuid4()), "Yard"))
    reception.engine.sync_once()
    manager.desk.edits.move(alex, made.booking.id, (str(TABLE[10]),))
    manager.desk.floor.save_area(alex, Area(str(uuid.uuid4()), "Yard"))
    manager.clock.advance(minutes=1)
    manager.engine.sync_once()
    return manager, format_reference(made.booking.reference)


def no_network(request, send):
    raise AssertionError(f"acknowledging sent {request.method} {request.url.path}")


def rows(desk: SyncDesk) -> dict[str, int]:
    with sqlite3.connect(desk.path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ROWS}


def test_refused_changes_are_listed_oldest_first_in_staff_words_with_the_servers_reason(
    desks,
):
    manager, reference = refused_move_and_area(desks)

    move, area = manager.desk.refusals.unacknowledged()

    assert move.what == f"Move of booking {reference} (Ada Lovelace)"
    assert "cannot be moved" in move.reason
    assert area.what == "Change to area Yard"
    assert area.reason == "There is already an area called Yard."
    assert move.received_at == area.received_at == manager.clock.now
    assert move.device_seq < area.device_seq


def test_acknowledging_one_refusal_leaves_the_other_and_changes_nothing_else_on_the_desk(
    desks,
):
    manager, _ = refused_move_and_area(desks)
    move, area = manager.desk.refusals.unacknowledged()
    before = rows(manager)

    said = manager.desk.refusals.acknowledge([move.device_seq])

    assert said.message == "1 refusal acknowledged."
    assert manager.desk.refusals.unacknowledged() == [area]
    assert rows(manager) == before
    status = manager.engine.monitor.status
    assert status.state is SyncState.NEEDS_ATTENTION and status.refusals == 1
    assert "The server refused 1 change: There is already an area called Yard." in status.detail


def test_acknowledging_every_refusal_settles_the_desk_up_to_date_without_a_sync(desks, relay):
    manager, _ = refused_move_and_area(desks)
    shown = [r.device_seq for r in manager.desk.refusals.unacknowledged()]
    relay.fault = no_network

    manager.desk.refusals.acknowledge(shown)

    assert manager.desk.refusals.unacknowledged() == []
    assert manager.engine.monitor.status.state is SyncState.UP_TO_DATE
    assert manager.engine.monitor.status.refusals == 0


def test_a_new_booking_refused_for_a_stale_hold_is_named_by_its_guest_and_party(
    desks, server_clock
):
    reception = desks("Reception")
    keeper = HoldKeeper(reception.engine.api, monotonic=Monotonic(), margin=15)
    connected = Desk(reception.store, reception.clock, DeskSync.of_engine(reception.engine, keeper))
    form = FormHold(keeper)
    form.want(SEVEN, EVENING, EVENING.replace(hour=22))
    token = form.token_for(SEVEN, EVENING, EVENING.replace(hour=22))
    connected.create.create_booking(
        reception.staff(Role.RECEPTION),
        booking_on_seven(reception, "Ada Lovelace", held_table_ids=SEVEN, fencing_token=token),
    )
    server_clock.advance(minutes=10)

    reception.engine.sync_once()

    [refused] = connected.refusals.unacknowledged()
    assert refused.what == "New booking for Ada Lovelace, party of 4"
    assert "hold on table 7 ran out" in refused.reason
