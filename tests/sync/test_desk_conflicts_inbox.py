"""The desk window's conflicts inbox shows what sync brought and resolves it by a button."""

from __future__ import annotations

import json
import sqlite3

from app.domain.booking import BookingStatus
from app.domain.permissions import Role
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.views.main_window import MainWindow
from tests.sync.relay import cut
from tests.sync.test_push_and_pull import book


def double_booked_window(qtbot, desks, relay):
    """Two desks book table 7 while one is cut off; the reception desk's window after sync."""
    reception, manager = desks("Reception"), desks("Manager laptop")
    relay.fault = cut
    book(reception, 7, name="Ada Lovelace")
    theirs = book(manager, 7, name="Grace Hopper")
    relay.fault = None
    for desk in (reception, manager, reception):
        desk.engine.sync_once()
    window = MainWindow(
        Desk(reception.store, reception.clock, DeskSync.of_engine(reception.engine)),
        reception.staff(Role.RECEPTION),
    )
    qtbot.addWidget(window)
    return reception, theirs, window


def test_a_double_booking_made_offline_appears_in_the_inbox_and_its_button_resolves_it(
    qtbot, desks, relay
):
    reception, theirs, window = double_booked_window(qtbot, desks, relay)

    [card] = window.conflicts.cards
    with qtbot.waitSignal(window.ops.changed):
        card.buttons["waitlist ours"].click()

    assert "Grace Hopper" in card.conflict.ours.guest
    assert "keep both (manager)" not in card.buttons  # reception may not override
    assert reception.bookings()[theirs.booking.id]["status"] == BookingStatus.WAITLISTED
    with sqlite3.connect(reception.store.path) as conn:
        name, args = conn.execute(
            "SELECT name, json_extract(body, '$.args') FROM outbox ORDER BY device_seq DESC LIMIT 1"
        ).fetchone()
    assert name == "resolve_conflict" and json.loads(args)["resolution"] == "waitlist"


def test_moving_a_conflicted_booking_from_the_inbox_picks_a_free_table(qtbot, desks, relay):
    reception, theirs, window = double_booked_window(qtbot, desks, relay)

    [card] = window.conflicts.cards
    with qtbot.waitSignal(window.ops.changed):
        card.buttons["move ours"].click()

    moved = reception.bookings()[theirs.booking.id]
    table_7 = Desk(reception.store).queries.venue().plan.table_by_number(7).id
    assert moved["status"] == BookingStatus.CONFIRMED
    assert moved["table_ids"] and table_7 not in moved["table_ids"]
