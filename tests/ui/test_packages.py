"""Packages in the booking form and the edit dialog: offered by party size, priced as the
party is typed, saved with the booking, changed or taken off, refused in words."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTime

from app.views.package_box import package_line
from app.views.timeline import bar_label
from tests.ui.conftest import book
from tests.ui.test_booking_form import open_form
from tests.ui.test_edit_booking import double_click_first_row


def offered(box):
    return [box.itemText(i) for i in range(box.count())]


def test_the_form_offers_the_packages_a_party_can_have_and_saves_the_one_chosen(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    form = open_form(window)
    form.time.setTime(QTime(19, 0))
    form.party.setValue(2)
    qtbot.waitUntil(lambda: form.options.party_size == 2)
    for_two = offered(form.package)
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")
    form.party.setValue(6)
    qtbot.waitUntil(lambda: form.options.party_size == 6)
    form.package.setCurrentIndex(form.package.findData("prosecco"))
    qtbot.waitUntil(lambda: "Package:" in form.deposit.text())
    said = form.deposit.text()

    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()

    [view] = desk.queries.bookings_on(desk.queries.tonight())
    assert for_two == ["No package", "Birthday package — £30.00"]
    assert "Package: Prosecco package for 6: <b>£150.00</b> (a bottle of prosecco" in said
    assert (view.booking.package_id, view.booking.package_pence) == ("prosecco", 15_000)
    assert view.package == "Prosecco package for 6, £150.00"
    assert bar_label(view) == "Priya Shah ◆ · 6"
    listed = window.bookings.proxy.index(0, 1)
    assert listed.data() == "Priya Shah ◆"
    assert "Package: Prosecco package for 6, £150.00" in listed.data(Qt.ItemDataRole.ToolTipRole)
    assert "Prosecco package for 6, £150.00." in form.status.text()


def test_a_party_cut_below_its_package_keeps_it_listed_and_is_refused_beside_it(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    form = open_form(window)
    form.time.setTime(QTime(19, 0))
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")
    form.party.setValue(4)
    qtbot.waitUntil(lambda: form.options.party_size == 4)
    form.package.setCurrentIndex(form.package.findData("prosecco"))
    form.party.setValue(3)
    qtbot.waitUntil(lambda: form.options.party_size == 3)
    warned = form.deposit.text()
    before = desk.queries.bookings_on(desk.queries.tonight())

    form.save_button.click()
    qtbot.waitUntil(lambda: form.errors["package"].isVisible())

    assert form.package.currentText() == "Prosecco package (not offered for 3)"
    assert "⚠ The Prosecco package is for parties of 4–12; this party is 3." in warned
    assert "for parties of 4–12" in form.errors["package"].text()
    assert desk.queries.bookings_on(desk.queries.tonight()) == before


def test_the_edit_dialog_changes_a_bookings_package_and_takes_it_off(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 6, 19, tables=(12,))
    window = make_window(manager)
    dialog = double_click_first_row(qtbot, window)
    shown = dialog.package.currentText()

    dialog.package.setCurrentIndex(dialog.package.findData("booth-bottles"))
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    sold = desk.queries.booking(booking.id).booking
    dialog = double_click_first_row(qtbot, window)
    chosen = dialog.package.currentText()
    dialog.package.setCurrentIndex(0)
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    after = desk.queries.booking(booking.id).booking
    assert shown == "No package"
    assert (sold.package_id, sold.package_pence) == ("booth-bottles", 18_000)
    assert chosen == "Booth bottle service — £180.00"
    assert (after.package_id, after.package_pence) == (None, 0)


def test_editing_a_booking_whose_package_is_no_longer_sold_says_it_keeps_its_price(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 6, 19, tables=(12,))
    desk.edits.edit_details(manager, booking.id, package_id="prosecco")
    sold = desk.queries.booking(booking.id).booking
    retired = replace(desk.queries.venue().deposits, packages=())
    window = make_window(manager)
    dialog = double_click_first_row(qtbot, window)
    dialog.package.show_for(retired, 6)

    assert dialog.package.currentText() == "prosecco (no longer sold)"
    assert package_line(retired, "prosecco", 8, sold) == (
        "Package prosecco for 6, £150.00 (no longer sold: kept at its price)."
    )
    assert package_line(desk.queries.venue().deposits, "prosecco", 6, sold) == (
        "Prosecco package for 6, £150.00."
    )
