"""The desk on a laptop's screen: the window fits 1366 × 768, the floor's legend wraps
when narrow, and the bookings list keeps the guest's name readable beside long deposit
words (the row's tooltip gives them whole)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from app.domain.deposit_ledger import PaymentMethod
from app.services.deposits import TakeDeposit
from app.views.floor_plan.chips import Legend
from tests.ui.conftest import book

GUEST, DEPOSIT = 1, 5


def test_a_guest_name_stays_readable_when_a_deposit_is_described_at_length(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    desk.deposits.take(manager, booking.id, TakeDeposit(8000, PaymentMethod.CARD_MACHINE))
    window = make_window(manager)
    table = window.bookings.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    header = table.horizontalHeader()
    row = table.model().index(0, GUEST)
    name_width = table.fontMetrics().horizontalAdvance(row.data())

    assert table.model().index(0, DEPOSIT).data() == "£80.00 paid (card machine)"
    assert header.sectionSize(GUEST) > name_width
    assert table.horizontalScrollBar().maximum() == 0  # every column in the panel's width
    assert "£80.00 paid" in (row.data(Qt.ItemDataRole.ToolTipRole) or "")


def test_the_desk_fits_a_laptop_screen_of_1366_by_768(qtbot, desk, manager, make_window):
    window = make_window(manager)

    least = window.minimumSizeHint()

    # 40 pixels of the screen's height are left for a taskbar.
    assert least.width() <= 1366
    assert least.height() <= 728


def test_the_floor_legend_wraps_onto_a_second_row_only_when_narrow(qtbot):
    legend = Legend()
    qtbot.addWidget(legend)
    one_row = legend.sizeHint().width()

    wide, narrow = legend.heightForWidth(one_row), legend.heightForWidth(one_row // 2)

    assert legend.minimumSizeHint().width() < one_row // 2
    assert narrow > wide


def test_every_floor_editing_button_shows_on_a_laptop_screen_none_behind_an_arrow(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    window.resize(1366, 728)
    floor = window.floor
    floor.set_edit_mode(True)
    qtbot.waitUntil(lambda: floor.edit_bar.isVisible())

    buttons = floor.edit_bar.findChildren(QToolButton)
    bar = floor.edit_bar.rect()

    assert [b.defaultAction().text() for b in buttons][-2:] == ["Undo", "Redo"]
    assert all(b.isVisible() and bar.contains(b.geometry()) for b in buttons)
