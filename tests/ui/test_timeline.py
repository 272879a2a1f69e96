from datetime import timedelta

from PySide6.QtCore import QPointF

from app.views.timeline import PX_PER_MIN, ROW
from tests.ui.conftest import book, tonight_at
from tests.ui.gestures import drag


def bar_of(window, booking_id):
    return next(b for b in window.timeline.scene.bars if b.view.booking.id == booking_id)


def bar_centre(bar):
    return bar.scenePos() + QPointF(bar.width / 2, (ROW - 6) / 2)


def show_timeline(window):
    window.tabs.setCurrentIndex(1)
    window.timeline.view.centerOn(window.timeline.scene.x_of(tonight_at(window.desk, 21)), 200)


def test_dragging_a_bar_later_moves_the_booking_in_time(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    window = make_window(manager)
    show_timeline(window)
    start = bar_centre(bar_of(window, booking.id))

    with qtbot.waitSignal(window.ops.changed):
        drag(window.timeline.view, start, start + QPointF(45 * PX_PER_MIN + 3, 0))

    moved = desk.queries.booking(booking.id)
    assert moved.booking.start == booking.start + timedelta(minutes=45)
    assert moved.tables == "5"


def test_dragging_a_bar_down_a_row_moves_the_booking_to_that_table(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    window = make_window(manager)
    show_timeline(window)
    start = bar_centre(bar_of(window, booking.id))

    with qtbot.waitSignal(window.ops.changed):
        drag(window.timeline.view, start, start + QPointF(0, ROW))

    moved = desk.queries.booking(booking.id)
    assert moved.tables == "6"
    assert moved.booking.start == booking.start


def test_a_bar_dragged_onto_a_taken_table_snaps_back_and_says_why(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    book(desk, manager, "Grace Hopper", 4, 21, 30, tables=(6,))
    window = make_window(manager)
    show_timeline(window)
    bar = bar_of(window, booking.id)
    start = bar_centre(bar)

    with qtbot.waitSignal(window.ops.refused):
        drag(window.timeline.view, start, start + QPointF(0, ROW))
    qtbot.waitUntil(lambda: bar_of(window, booking.id).table_id == booking.table_ids[0])

    assert "Table 6 is taken from 21:30 to 23:30 by Grace Hopper (4)" in window.notice.text()
    assert desk.queries.booking(booking.id).tables == "5"


def test_the_timeline_scrolls_to_now_late_in_the_night(qtbot, desk, manager, make_window, clock):
    clock.now = tonight_at(desk, 23, 50) + timedelta(minutes=40)  # 00:30, after midnight
    window = make_window(manager)
    window.tabs.setCurrentIndex(1)
    view = window.timeline.view

    window.top.show_now()

    left = view.horizontalScrollBar().value()
    x = window.timeline.scene.x_of(clock.now)
    assert left > 0
    assert left < x < left + view.viewport().width()
