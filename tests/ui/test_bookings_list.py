import json
import sqlite3

from app.domain.booking import BookingStatus
from tests.ui.conftest import book, tonight_at


def test_the_list_filters_by_search_text_and_status(qtbot, desk, manager, make_window):
    book(desk, manager, "Ada Lovelace", 4, 19)
    book(desk, manager, "Grace Hopper", 2, 20)
    window = make_window(manager)
    panel = window.bookings

    panel.search.setText("grace")
    names_by_search = [panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())]
    panel.search.clear()
    panel.status.setCurrentText("Seated")

    assert names_by_search == ["Grace Hopper"]
    assert panel.proxy.rowCount() == 0


def test_seat_then_complete_from_the_list(qtbot, desk, manager, make_window, clock):
    booking = book(desk, manager, "Ada Lovelace", 4, 19)
    clock.now = tonight_at(desk, 19, 5)
    window = make_window(manager)
    window.bookings.table.selectRow(0)

    with qtbot.waitSignal(window.ops.changed):
        window.bookings.actions_by_name["Seat"].trigger()
    seated = desk.queries.booking(booking.id).booking.status
    with qtbot.waitSignal(window.ops.changed):
        window.bookings.actions_by_name["Complete"].trigger()

    assert seated is BookingStatus.SEATED
    assert desk.queries.booking(booking.id).booking.status is BookingStatus.COMPLETED
    assert window.bookings.model.rows()[0].booking.status is BookingStatus.COMPLETED


def test_the_move_dialog_moves_a_booking_to_another_table_and_time(
    qtbot, desk, manager, make_window
):
    from app.views.move_dialog import MoveDialog

    booking = book(desk, manager, "Ada Lovelace", 4, 19, tables=(4,))
    window = make_window(manager)
    dialog = MoveDialog(
        desk.queries.booking(booking.id), desk.queries, window.commands, window.state, window
    )
    dialog.tables.setCurrentIndex(dialog.tables.findText("Table 6 (2–4)"))
    dialog.time.setTime(dialog.time.time().addSecs(30 * 60))

    with qtbot.waitSignal(window.ops.changed):
        dialog.move_booking()

    moved = desk.queries.booking(booking.id)
    assert (moved.tables, desk.queries.venue().venue.show_time(moved.booking.start)) == (
        "6",
        "19:30",
    )


def test_cancelling_asks_why_first_and_keeping_it_changes_nothing(
    qtbot, desk, manager, make_window, db_path
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21)
    window = make_window(manager)
    window.bookings.table.selectRow(0)

    window.bookings.actions_by_name["Cancel booking"].trigger()
    asked = window.bookings.cancel_dialog
    kept = asked.windowTitle(), asked.keep_button.isDefault()
    asked.keep_button.click()
    qtbot.wait(100)
    still = desk.queries.booking(booking.id).booking.status
    window.bookings.actions_by_name["Cancel booking"].trigger()
    again = window.bookings.cancel_dialog
    again.reason.setCurrentText("Duplicate booking")
    again.note.setText("booked twice by phone")
    with qtbot.waitSignal(window.ops.changed):
        again.cancel_button.click()

    assert kept == ("Cancel Ada Lovelace's booking?", True)
    assert still is BookingStatus.CONFIRMED
    assert desk.queries.booking(booking.id).booking.status is BookingStatus.CANCELLED
    with sqlite3.connect(db_path) as conn:
        [body] = conn.execute("SELECT body FROM outbox WHERE name = 'cancel'").fetchone()
    assert json.loads(body)["args"]["reason"] == "duplicate booking: booked twice by phone"


def test_history_from_the_list_shows_every_change_to_the_picked_booking(
    qtbot, desk, manager, make_window, clock
):
    book(desk, manager, "Ada Lovelace", 4, 19)
    clock.now = tonight_at(desk, 19, 5)
    window = make_window(manager)
    window.bookings.table.selectRow(0)
    with qtbot.waitSignal(window.ops.changed):
        window.bookings.actions_by_name["Seat"].trigger()
    history = window.bookings.actions_by_name["History…"]
    offered = history.isVisible(), history.isEnabled()

    history.trigger()

    dialog = window.bookings.review.dialog
    assert offered == (True, True)
    assert dialog.isVisible()
    assert dialog.windowTitle().startswith("History of booking ")
    assert [(row[1], row[3]) for row in dialog.rows()] == [
        ("Alex Moore", "create booking"),
        ("Alex Moore", "set status"),
    ]
    assert "status: confirmed → seated" in dialog.rows()[1][4]


def test_history_waits_for_a_booking_to_be_picked_and_is_not_offered_to_reception(
    qtbot, desk, manager, reception, make_window
):
    book(desk, manager, "Ada Lovelace", 4, 19)
    managers = make_window(manager).bookings.actions_by_name["History…"]
    nothing_picked = managers.isVisible(), managers.isEnabled()

    receptions = make_window(reception).bookings.actions_by_name["History…"]

    assert nothing_picked == (True, False)
    assert not receptions.isVisible()
