"""Desk → Put this desk right…: after the server was put back to an older backup, a
manager puts a stopped desk right from the window, with the cure its last sync named,
and the desk opens again syncing. The backup and the restore are PostgreSQL's own
(tests/sync/test_server_restored.py); the server is the real app."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

from PySide6.QtCore import Qt

from app.domain.permissions import Role
from app.services.compose import reopened
from app.sync.status import Cure, SyncState
from app.views.main_window import MainWindow
from app.views.repair_dialog import REBUILD, TAKE, RepairDialog
from tests.sync.test_rebuild import book
from tests.sync.world import PASSWORD, SyncDesk


def window_for(qtbot, desk: SyncDesk, role: Role) -> MainWindow:
    window = MainWindow(desk.desk, desk.staff(role))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def repair_action(window: MainWindow):
    return next(a for a in window.actions() if a.text() == "Put this desk right…")


def badge_opens_the_repair(qtbot, window: MainWindow) -> RepairDialog:
    qtbot.mouseClick(window.top.badge, Qt.MouseButton.LeftButton)
    dialog = window.repair_dialog
    assert dialog.isVisible()
    return dialog


def finished(qtbot, dialog: RepairDialog) -> str:
    qtbot.waitUntil(lambda: not dialog.working, timeout=30_000)
    assert dialog.pages.currentIndex() == 1, dialog.error.text()
    return dialog.said.text()


def opens_again(desk: SyncDesk) -> None:
    """What app.views.app does when the window closes: the desk opens again, syncing."""
    again = reopened(desk.desk)
    assert again is not None and again.sync is not None and again.repair is not None
    assert not again.repair.done
    again.sync.stop()


def test_a_manager_takes_the_servers_night_from_the_window_and_keeps_the_desks_own(
    qtbot, refused_bar
):
    bar, door, ada, bo = refused_bar
    di = book(bar, 2, name="Di Fontaine")  # made while the desk was refused
    window = window_for(qtbot, bar, Role.MANAGER)
    assert repair_action(window).isEnabled()

    dialog = badge_opens_the_repair(qtbot, window)
    assert dialog.cure is Cure.TAKE_SERVER and dialog.go.text() == TAKE
    assert "put back to an older backup" in dialog.why.text()
    assert "its changes not yet sent stay here" in dialog.what.text()
    dialog.go.click()
    said = finished(qtbot, dialog)
    dialog.reopen.click()

    assert not window.isVisible()  # what it showed was read before: it closes
    [copy] = bar.path.parent.glob(f"{bar.path.stem}.before-retake-*{bar.path.suffix}")
    assert str(copy) in said and "1 change not yet sent" in said
    opens_again(bar)
    status = bar.engine.sync_once()
    door.engine.sync_once()
    assert status.state is SyncState.UP_TO_DATE and status.pending == 0 and status.cure is None
    assert set(bar.bookings()) == set(door.bookings())
    assert {ada.id, di.booking.id} <= set(bar.bookings())
    assert bo.id not in bar.bookings()  # the server lost it: the copy has it
    with closing(sqlite3.connect(copy)) as kept:
        assert kept.execute("SELECT count(*) FROM booking WHERE id = ?", (bo.id,)).fetchone() == (
            1,
        )


def test_a_manager_rebuilds_from_the_window_a_desk_whose_sent_changes_the_server_lost(
    qtbot, restored_server, desks
):
    reception, bar, ada, _ = restored_server
    cy = book(reception, 3, name="Cy Twombly")
    assert reception.engine.sync_once().cure is Cure.REBUILD
    old_id = reception.engine.device_id
    window = window_for(qtbot, reception, Role.MANAGER)

    dialog = badge_opens_the_repair(qtbot, window)
    assert dialog.go.text() == REBUILD
    assert "The server has lost changes #2 to #2 from this desk" in dialog.why.text()
    dialog.username.setText("alex")
    dialog.password.setText("not the password")
    dialog.go.click()
    qtbot.waitUntil(lambda: not dialog.working, timeout=30_000)
    assert dialog.pages.currentIndex() == 0
    assert "Nothing on this desk was changed" in dialog.error.text()
    assert dialog.password.text() == "" and dialog.go.text() == REBUILD
    assert not list(reception.path.parent.glob("*.before-rebuild-*"))
    assert reception.engine.sync_once().cure is Cure.REBUILD  # still as it was
    dialog.password.setText(PASSWORD)
    dialog.go.click()
    said = finished(qtbot, dialog)
    dialog.reopen.click()

    assert not window.isVisible()
    [unsent] = reception.path.parent.glob(f"{reception.path.stem}.unsent-*.json")
    changes = json.loads(unsent.read_text())["changes"]
    assert [c["entity_id"] for c in changes] == [cy.booking.id]
    assert str(unsent) in said and "1 change it had not sent" in said
    opens_again(reception)
    rebuilt = SyncDesk.attach(reception.path, reception.store, reception.engine.api.http, bar.clock)
    assert rebuilt.engine.device_id != old_id
    assert rebuilt.engine.sync_once().state is SyncState.UP_TO_DATE
    assert set(rebuilt.bookings()) == {ada.id}  # the server's night: it lost Bo


def test_reception_is_shown_why_and_told_to_ask_a_manager_and_nothing_changes(qtbot, refused_bar):
    bar, *_ = refused_bar
    before = set(bar.bookings())
    window = window_for(qtbot, bar, Role.RECEPTION)
    assert not repair_action(window).isVisible()

    dialog = badge_opens_the_repair(qtbot, window)

    assert not dialog.go.isEnabled()
    assert "signed in as reception, who may not" in dialog.error.text()
    assert "Ask a manager to sign in here" in dialog.error.text()
    dialog.go.click()
    dialog.reject()
    assert window.isVisible() and not bar.desk.repair.done
    assert reopened(bar.desk) is None
    assert set(bar.bookings()) == before
    assert bar.engine.sync_once().cure is Cure.TAKE_SERVER


def test_a_desk_that_syncs_as_it_should_has_nothing_to_put_right(qtbot, desks):
    reception = desks()
    book(reception, 7, name="Ada Lovelace")
    assert reception.engine.sync_once().state is SyncState.UP_TO_DATE
    window = window_for(qtbot, reception, Role.MANAGER)

    assert repair_action(window).isVisible() and not repair_action(window).isEnabled()
    assert "only in the copy" not in window.notice.text()
    qtbot.mouseClick(window.top.badge, Qt.MouseButton.LeftButton)
    assert not hasattr(window, "repair_dialog")
