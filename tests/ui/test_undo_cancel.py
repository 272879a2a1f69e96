"""A cancel made from the list can be undone from the notice bar for a few minutes."""

from app.domain.booking import BookingStatus
from app.domain.limits import UNDO_CANCEL_MINUTES
from app.services.queries import TableState
from tests.ui.conftest import book, tonight_at
from tests.ui.test_floor_states import item

S = BookingStatus


def cancel_from_the_list(qtbot, window, reason="Guest cancelled"):
    window.bookings.table.selectRow(0)
    window.bookings.actions_by_name["Cancel booking"].trigger()
    dialog = window.bookings.cancel_dialog
    dialog.reason.setCurrentText(reason)
    with qtbot.waitSignal(window.ops.changed):
        dialog.cancel_button.click()


def listed(window, booking_id):
    [row] = [r for r in window.bookings.model.rows() if r.booking.id == booking_id]
    return row.booking.status, row.tables


def test_undo_in_the_notice_bar_puts_the_cancelled_booking_back_on_its_table(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, tables=(5,))
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 21, 15))

    cancel_from_the_list(qtbot, window)
    offered = (
        window.notice.text(),
        window.undo_cancel.button.isVisible(),
        window.undo_cancel.action.isEnabled(),
        item(window, 5).state,
    )
    with qtbot.waitSignal(window.ops.changed):
        window.undo_cancel.button.click()

    assert offered == (
        "✓ Cancelled Ada Lovelace's booking (guest cancelled).",
        True,
        True,
        TableState.FREE,
    )
    assert listed(window, booking.id) == (S.CONFIRMED, "5")
    assert item(window, 5).state is TableState.RESERVED
    assert "Ada Lovelace — party of 4" in item(window, 5).toolTip()
    assert window.notice.text() == "✓ Cancel undone: Ada Lovelace, party of 4, back at table 5."
    assert not window.undo_cancel.button.isVisible()
    assert not window.undo_cancel.action.isEnabled()


def test_booking_undo_cancel_in_the_menu_works_while_offered(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, tables=(5,))
    window = make_window(manager)
    cancel_from_the_list(qtbot, window, "Duplicate booking")

    shortcut = window.undo_cancel.action.shortcut().toString()
    with qtbot.waitSignal(window.ops.changed):
        window.undo_cancel.action.trigger()

    assert shortcut == "Ctrl+Z"
    assert desk.queries.booking(booking.id).booking.status is S.CONFIRMED


def test_undo_after_the_window_is_refused_in_words_and_the_booking_stays_cancelled(
    qtbot, desk, manager, make_window, clock
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, tables=(5,))
    window = make_window(manager)
    cancel_from_the_list(qtbot, window)
    clock.advance(minutes=UNDO_CANCEL_MINUTES + 1)

    with qtbot.waitSignal(window.ops.refused) as refused:
        window.undo_cancel.button.click()

    assert refused.args[0].endswith(
        f"was cancelled more than {UNDO_CANCEL_MINUTES} minutes ago, so it can no longer be "
        "undone. Book the guest again if they are still coming."
    )
    assert window.notice.text().startswith("✕ Booking ")
    assert listed(window, booking.id)[0] is S.CANCELLED
    assert not window.undo_cancel.action.isEnabled()


def test_the_offer_ends_when_its_minutes_are_up(qtbot, desk, manager, make_window):
    book(desk, manager, "Ada Lovelace", 4, 21, tables=(5,))
    window = make_window(manager)
    cancel_from_the_list(qtbot, window)

    window.undo_cancel.timer.timeout.emit()

    assert not window.notice.isVisible()
    assert not window.undo_cancel.button.isVisible()
    assert not window.undo_cancel.action.isEnabled()
