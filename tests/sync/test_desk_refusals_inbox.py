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
    assert window.conflicts_dock.windowTitle() == "Refused (2)"
    assert badge.text() == "⚠ 2 refused changes"
    assert f"Move of booking {reference} (Ada Lovelace)" in move.title.text()
    assert "cannot be moved" in move.reason.text()
    assert area.reason.text() == "There is already an area called Yard."

    with qtbot.waitSignal(window.ops.changed):
        window.conflicts.acknowledge_requested.emit((move.refusal.device_seq,))
    # Reading it is told to the venue's other desks: one change waits to be sent.
    qtbot.waitUntil(lambda: badge.text() == "⚠ 1 refused change · 1 pending")
    [left] = window.conflicts.refusal_cards
    assert left.refusal == area.refusal
    assert window.conflicts_dock.windowTitle() == "Refused (1)"

    with qtbot.waitSignal(window.ops.changed):
        window.conflicts.acknowledge_all.click()
    manager.engine.sync_once()
    qtbot.waitUntil(lambda: badge.text() == "✓ Up to date")
    assert window.conflicts.refusal_cards == []
    assert window.conflicts.refused.isHidden() and not window.conflicts.empty.isHidden()
    assert window.conflicts_dock.windowTitle() == "Conflicts"
    after = rows(manager)
    # No booking or guest changed; each reading is in the audit trail, and was sent.
    grew = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    assert grew == {"audit_event": 2, "sync_outcome": 2}
    window.ops.stop()


def test_refused_new_bookings_are_counted_apart_and_retried_amended_or_discarded_in_the_window(
    qtbot, desks, http
):
    from PySide6.QtWidgets import QMessageBox

    from tests.sync.test_refusals_put_right import kim_on_the_server, refused_night

    reception, made = refused_night(desks)
    window = window_for(qtbot, reception)
    badge = window.top.badge
    cards = window.conflicts.refusal_cards
    listed = window.bookings.model

    assert badge.text() == "⚠ 6 refused changes"
    assert window.conflicts_dock.windowTitle() == "Refused (6)"
    assert len(cards) == 6 and all(c.retry.isEnabled() and c.amend.isVisible() for c in cards)
    row = next(r for r in range(listed.rowCount()) if listed.key(listed._rows[r]) == made[0])
    assert listed.data(listed.index(row, 4)).startswith("Refused by the server: Staff member")

    cards[0].discard.click()
    box = window.refusal_actions.dialog
    assert isinstance(box, QMessageBox) and box.text().startswith("Discard this change?")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.No).click()
    assert reception.desk.refusals.open()[0].device_seq == cards[0].refusal.device_seq

    cards[0].discard.click()
    with qtbot.waitSignal(window.ops.changed):
        window.refusal_actions.dialog.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: badge.text() == "⚠ 5 refused changes · 1 pending")
    assert made[0] not in reception.bookings()

    kim_on_the_server(http)
    reception.engine.sync_once()
    qtbot.waitUntil(lambda: len(window.conflicts.refusal_cards) == 5)
    first = window.conflicts.refusal_cards[0]
    first.amend.click()
    dialog = window.refusal_actions.dialog
    dialog.party.setValue(1)
    with qtbot.waitSignal(window.ops.changed):
        dialog.ok.click()
    with qtbot.waitSignal(window.ops.changed):
        window.conflicts.refusal_cards[0].retry.click()
    qtbot.waitUntil(lambda: len(window.conflicts.refusal_cards) == 3)
    reception.engine.sync_once()

    assert reception.bookings()[made[1]]["party_size"] == 1
    assert reception.bookings()[made[1]]["status"] == "confirmed"
    assert reception.bookings()[made[2]]["status"] == "confirmed"
    qtbot.waitUntil(lambda: badge.text() == "⚠ 3 refused changes")
    window.ops.stop()
