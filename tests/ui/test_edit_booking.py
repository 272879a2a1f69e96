"""Editing a booking from the list: the guest and the party change; a refused time
change names who is there and changes nothing."""

from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest

from tests.integration.conftest import counts
from tests.ui.conftest import book, tonight_at
from tests.ui.gestures import table_centre
from tests.ui.test_timeline import bar_centre, bar_of, show_timeline


def open_editor(qtbot, window):
    """Ctrl+E (the list's Edit… action) on the selected booking."""
    window.bookings.table.selectRow(0)
    action = window.bookings.actions_by_name["Edit…"]
    assert action.shortcut().toString() == "Ctrl+E"
    action.trigger()
    dialog = window.bookings.edit_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def double_click_first_row(qtbot, window):
    table = window.bookings.table
    centre = table.visualRect(window.bookings.proxy.index(0, 1)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: window.bookings.edit_dialog is not None)
    return window.bookings.edit_dialog


def row_shown(window):
    proxy = window.bookings.proxy
    return [proxy.index(0, c).data() for c in (1, 2)]


def test_editing_the_name_and_party_from_the_list_shows_them_in_the_list(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 2, 19, tables=(7,))
    window = make_window(reception)
    dialog = double_click_first_row(qtbot, window)
    prefilled = dialog.name.text(), dialog.party.value(), dialog.phone.text()

    dialog.name.setText("Ada King")
    dialog.party.setValue(3)
    dialog.refresh_advice()
    advice = dialog.fits.text()
    deposit = dialog.deposit.text(), dialog.deposit.isHidden()
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert prefilled == ("Ada Lovelace", 2, "0113 496 " + prefilled[2][-4:])
    assert advice == "<b>Fits:</b> Table 7 still seats them then."
    assert deposit == ("", True)  # no deposit before or after: the Deposit row says so once
    assert row_shown(window) == ["Ada King", "3"]
    assert desk.queries.booking(booking.id).customer.name == "Ada King"


def test_a_party_too_big_for_its_tables_is_flagged_before_saving(
    qtbot, desk, reception, make_window
):
    book(desk, reception, "Ada Lovelace", 2, 19, tables=(7,))
    window = make_window(reception)
    dialog = open_editor(qtbot, window)

    dialog.party.setValue(6)
    dialog.refresh_advice()

    assert "Will be refused" in dialog.fits.text()
    assert "not a party of 6" in dialog.fits.text()


def test_a_refused_time_change_names_who_is_there_and_changes_nothing(
    qtbot, desk, reception, make_window, db_path
):
    mine = book(desk, reception, "Ada Lovelace", 2, 19, tables=(7,))
    book(desk, reception, "Grace Hopper", 2, 21, tables=(7,))
    before = counts(db_path)
    window = make_window(reception)
    dialog = open_editor(qtbot, window)

    dialog.name.setText("Ada King")
    dialog.time.setTime(QTime(21, 0))
    dialog.refresh_advice()
    warned = dialog.fits.text()
    with qtbot.waitSignal(window.ops.refused):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled())

    assert "Grace Hopper" in warned
    assert "Grace Hopper" in dialog.errors["start"].text()
    assert dialog.status.text().startswith("Nothing was saved:")
    assert dialog.isVisible()
    assert counts(db_path) == before
    assert desk.queries.booking(mine.id).customer.name == "Ada Lovelace"


def double_click(view, at):
    point = view.mapFromScene(at)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_double_clicking_a_bar_on_the_timeline_opens_its_booking_for_editing(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 4, 21, tables=(5,))
    window = make_window(reception)
    show_timeline(window)

    double_click(window.timeline.view, bar_centre(bar_of(window, booking.id)))
    qtbot.waitUntil(lambda: window.bookings.edit_dialog is not None)

    assert window.bookings.edit_dialog.name.text() == "Ada Lovelace"


def test_double_clicking_a_booked_table_on_the_floor_opens_its_booking_for_editing(
    qtbot, desk, reception, make_window, clock
):
    book(desk, reception, "Ada Lovelace", 4, 19, tables=(5,))
    clock.now = tonight_at(desk, 19, 5)
    window = make_window(reception)
    window.top.show_now()

    double_click(window.floor.view, table_centre(window, 5))
    qtbot.waitUntil(lambda: window.bookings.edit_dialog is not None)

    assert window.bookings.edit_dialog.party.value() == 4
