"""The desk window shows the server's refusals in the inbox until staff acknowledge them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.permissions import Role
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.views.main_window import MainWindow
from tests.sync.test_refusals import refused_move_and_area, rows


def window_for(qtbot, desk) -> MainWindow:
    connected = Desk(desk.store, desk.clock, DeskSync.of_engine(desk.engine))
    window = MainWindow(connected, desk.staff(Role.MANAGER))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_refused_change_shows_in_the_inbox_with_the_servers_reason_until_acknowledged(
    qtbot, desks
):
    manager, reference = refused_move_and_area(desks)
    window = window_for(qtbot, manager)
    badge = window.top.badge
    move, area = window.conflicts.refusal_cards
    before = rows(manager)

    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)

    assert window.conflicts.isVisible()
    assert window.conflicts_dock.windowTitle() == "Conflicts (2)"
    assert badge.text() == "⚠ 2 refused"
    assert f"Move of booking {reference} (Ada Lovelace)" in move.title.text()
    assert "cannot be moved" in move.reason.text()
    assert area.reason.text() == "There is already an area called Yard."

    with qtbot.waitSignal(window.ops.changed):
        move.acknowledge.click()
    qtbot.waitUntil(lambda: badge.text() == "⚠ 1 refused")
    [left] = window.conflicts.refusal_cards
    assert left.refusal == area.refusal
    assert window.conflicts_dock.windowTitle() == "Conflicts (1)"

    with qtbot.waitSignal(window.ops.changed):
        window.conflicts.acknowledge_all.click()
    qtbot.waitUntil(lambda: badge.text() == "✓ Up to date")
    assert window.conflicts.refusal_cards == []
    assert window.conflicts.refused.isHidden() and not window.conflicts.empty.isHidden()
    assert window.conflicts_dock.windowTitle() == "Conflicts"
    assert rows(manager) == before
    window.ops.stop()
