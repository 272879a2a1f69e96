"""Drops from the lists onto the floor: the model's own drag data, delivered to the floor
view as the drag-enter, drag-move and drop events Qt sends when a drag ends there."""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.domain.booking import BookingStatus
from tests.ui.conftest import book, tonight_at, waitlist
from tests.ui.gestures import table_centre


def drop_on_table(window, mime_data, number):
    view = window.floor.view
    pos = QPointF(view.mapFromScene(table_centre(window, number)))
    viewport = view.viewport()
    move, left = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), move, mime_data, left, none)
    QApplication.sendEvent(viewport, enter)
    QApplication.sendEvent(viewport, QDragMoveEvent(pos.toPoint(), move, mime_data, left, none))
    drop = QDropEvent(pos, move, mime_data, left, none)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def row_mime(table_view, row):
    model = table_view.model()
    return model.mimeData([model.index(row, 0)])


def test_a_waitlisted_party_dropped_from_the_waitlist_onto_a_free_table_is_promoted_there(
    qtbot, desk, manager, make_window
):
    party = waitlist(desk, manager, "Walk Up", 4, 21, 0)
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))

    with qtbot.waitSignal(window.ops.changed):
        accepted = drop_on_table(window, row_mime(window.waitlist.table, 0), 6)

    assert accepted
    placed = desk.queries.booking(party.id)
    assert placed.tables == "6"
    assert placed.booking.status is BookingStatus.CONFIRMED


def test_a_booking_dropped_from_the_list_onto_a_too_small_table_is_refused(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    window = make_window(manager)

    with qtbot.waitSignal(window.ops.refused):
        drop_on_table(window, row_mime(window.bookings.table, 0), 13)

    assert "Table 13 seats 1–2, not a party of 4." in window.notice.text()
    assert desk.queries.booking(booking.id).tables == "5"


def test_a_party_of_nine_dropped_on_table_15_lands_on_15_and_16_combined(
    qtbot, desk, manager, make_window
):
    party = waitlist(desk, manager, "Big Table", 9, 21, 0)
    window = make_window(manager)

    with qtbot.waitSignal(window.ops.changed):
        drop_on_table(window, row_mime(window.waitlist.table, 0), 15)

    assert desk.queries.booking(party.id).tables == "15 + 16"


def test_the_walk_in_chip_dropped_on_a_free_table_seats_a_walk_in_there(
    qtbot, desk, manager, make_window, clock
):
    clock.advance(hours=5)  # 20:00, the bar is open
    window = make_window(manager)
    window.floor.walk_in.party.setValue(3)
    from app.views.mime import walk_in_mime

    with qtbot.waitSignal(window.ops.changed):
        drop_on_table(window, walk_in_mime(3), 4)

    seated = [v for v in desk.queries.bookings_on(desk.queries.tonight()) if v.tables == "4"]
    assert [(v.booking.status, v.booking.party_size) for v in seated] == [(BookingStatus.SEATED, 3)]
    assert "Seated at table 4" in window.notice.text()
