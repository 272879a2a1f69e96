"""Desk → Connect to a server… on a desk that already holds a night (the demo), against a
server set up as the README says: the window shows what both hold, sends nothing until the
manager chooses, talks to the server off the GUI thread, and reopens the desk connected."""

from __future__ import annotations

import io
import sqlite3
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.cli import main
from app.services.compose import open_desk, reopened
from app.services.desk import Desk
from app.sync.status import SyncState
from app.views.app import run_desk
from app.views.connect_dialog import ConnectDialog
from app.views.main_window import MainWindow
from app.views.sign_in import SignInDialog
from tests.sync.readme_server import OWNER_PASSWORD, desk_bookings, server_bookings

CONNECT = "Connect to a server…"


def connect_action(window: MainWindow) -> QAction | None:
    return next((a for a in window.actions() if a.text() == CONNECT), None)


def demo_window(qtbot, tmp_path, clock, name: str, pin: str = "2222"):
    desk = open_desk(tmp_path / f"{name}.sqlite3", clock, demo=True)
    window = MainWindow(desk, desk.auth.sign_in("alex" if pin == "2222" else "sam", pin))
    qtbot.addWidget(window)
    window.show()
    return desk, window


def ask_to_connect(qtbot, window: MainWindow, base: str) -> ConnectDialog:
    action = connect_action(window)
    assert action is not None and action.isVisible()
    action.trigger()
    dialog = window.connect_dialog
    form = dialog.form
    form.server.setText(base)
    form.username.setText("owner")
    form.password.setText(OWNER_PASSWORD)
    form.connect_button.click()
    # The server is asked on a worker: the form says so and the window keeps working.
    assert form.working and form.busy.isVisible() and not form.connect_button.isEnabled()
    qtbot.waitUntil(lambda: not form.working, timeout=20_000)
    return dialog


def choose(qtbot, dialog: ConnectDialog, button) -> None:
    button.setChecked(True)
    dialog.form.connect_button.click()
    qtbot.waitUntil(lambda: not dialog.form.working, timeout=30_000)
    assert dialog.pages.currentIndex() == 1, dialog.form.error.text()


def reopen_after(qtbot, desk: Desk, window: MainWindow) -> Desk:
    """What app.views.app does when the window closes: open the desk again, syncing."""
    assert not window.isVisible()
    again = reopened(desk)
    assert again is not None and again.sync is not None
    monitor = again.sync.monitor
    qtbot.waitUntil(
        lambda: monitor.status.state is SyncState.UP_TO_DATE and monitor.status.pending == 0,
        timeout=30_000,
    )
    return again


def test_a_manager_uploads_the_demo_night_from_the_window_and_every_booking_keeps_its_tables(
    qtbot, tmp_path, clock, readme_server
):
    base, url = readme_server
    desk, window = demo_window(qtbot, tmp_path, clock, "demo")
    on_desk = desk_bookings(desk.store.path)

    dialog = ask_to_connect(qtbot, window, base)

    form = dialog.form
    assert form.night.isVisible()
    assert f"This desk holds {len(on_desk)} booking(s)" in form.desk_holds.text()
    assert "alex, jo, sam" in form.desk_holds.text() and "16 table(s)" in form.desk_holds.text()
    assert "The server holds 0 booking(s) for The Backroom" in form.server_holds.text()
    assert "owner" in form.server_holds.text()
    assert server_bookings(url) == {"_devices": 0}  # nothing registered without a choice

    choose(qtbot, dialog, form.upload)
    assert "Created on the server: alex, jo, sam" in dialog.said.text()
    dialog.reopen.click()
    again = reopen_after(qtbot, desk, window)

    on_server = server_bookings(url)
    assert on_server.pop("_devices") == 1
    assert on_server == on_desk
    assert not any(status == "conflict" for status, _ in on_server.values())
    assert desk_bookings(desk.store.path) == on_desk
    status = again.sync.monitor.status
    assert (status.open_conflicts, status.refusals) == (0, 0)
    connected = MainWindow(again, again.auth.sign_in("alex", "2222"))
    qtbot.addWidget(connected)
    assert connect_action(connected) is None  # a connected desk has nothing to connect
    again.sync.stop()
    desk.store.close()


def test_a_second_desk_takes_the_servers_night_from_the_window_and_keeps_its_own_as_a_file(
    qtbot, tmp_path, clock, readme_server, monkeypatch, capsys
):
    base, _ = readme_server
    bar = tmp_path / "bar.sqlite3"
    for args, stdin in (
        (["demo"], ""),
        (["connect", "--server", base, "--user", "owner", "--password-stdin", "--upload"], "x"),
        (["sync"], ""),
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO(OWNER_PASSWORD + "\n" if stdin else ""))
        assert main(["--db", str(bar), *args], clock=clock) == 0, capsys.readouterr()
    desk, window = demo_window(qtbot, tmp_path, clock, "laptop")
    its_own = desk_bookings(desk.store.path)

    dialog = ask_to_connect(qtbot, window, base)
    live = [b for b, (status, _) in desk_bookings(bar).items() if status != "cancelled"]
    assert f"The server holds {len(live)} booking(s)" in (dialog.form.server_holds.text())
    choose(qtbot, dialog, dialog.form.take_server)
    assert "it now takes the server's night" in dialog.said.text()
    dialog.reopen.click()
    again = reopen_after(qtbot, desk, window)

    assert desk_bookings(desk.store.path) == desk_bookings(bar)
    [copy] = tmp_path.glob("laptop.before-rebuild-*.sqlite3")
    assert desk_bookings(copy) == its_own
    assert [p.name for p in tmp_path.glob("laptop.unsent-*.json")]
    again.sync.stop()
    desk.store.close()


def test_reception_is_not_offered_connecting_the_desk(qtbot, tmp_path, clock):
    desk, window = demo_window(qtbot, tmp_path, clock, "demo", pin="1111")

    action = connect_action(window)
    assert action is not None and not action.isVisible()
    desk.store.close()


def test_the_desk_started_as_backroom_does_reopens_connected_and_asks_for_a_pin_again(
    qtbot, tmp_path, readme_server
):
    """app.views.app.run_desk: sign in, Desk → Connect…, upload, and the desk opens again."""
    base, url = readme_server
    db = tmp_path / "demo.sqlite3"
    sign_ins: list[str] = []
    done: list[str] = []
    # A step that never comes (a dialog this script does not know) fails the test with
    # what was showing, instead of leaving the desk's event loop running for ever.
    give_up_at, stalled = time.monotonic() + 180, []
    running = True  # no step of this script may outlive run_desk into another test

    def drive() -> None:
        if not running:
            return
        modal = QApplication.activeModalWidget()
        # Only this desk's window: another test's may linger, hidden, in the application.
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        if stalled or time.monotonic() > give_up_at:
            if not stalled:
                said = f": {modal.text()!r}" if isinstance(modal, QMessageBox) else ""
                stalled.append(f"stalled after {done} with {type(modal).__name__} showing{said}")
            if isinstance(modal, QDialog):
                modal.reject()
            QApplication.exit(1)
            QTimer.singleShot(50, drive)
            return
        if isinstance(modal, SignInDialog):
            sign_ins.append(modal.note.text())
            if len(sign_ins) == 1:
                modal.username.setText("alex")
                modal.pin.setText("2222")
                modal.try_sign_in()
            else:
                modal.reject()  # the reopened desk asked for a PIN: that is all we wanted
                return
        elif isinstance(modal, ConnectDialog):
            form = modal.form
            if modal.pages.currentIndex() == 1 and "reopen" not in done:
                done.append("reopen")
                modal.reopen.click()
            elif form.night.isVisible() and not form.working and "upload" not in done:
                done.append("upload")
                form.upload.setChecked(True)
                form.connect_button.click()
            elif "asked" not in done:
                done.append("asked")
                form.server.setText(base)
                form.username.setText("owner")
                form.password.setText(OWNER_PASSWORD)
                form.connect_button.click()
        elif windows and "menu" not in done:
            done.append("menu")
            connect_action(windows[-1]).trigger()
        QTimer.singleShot(50, drive)

    QTimer.singleShot(0, drive)
    code = run_desk(db, demo=True)
    running = False

    assert not stalled, stalled
    assert code == 0 and done == ["menu", "asked", "upload", "reopen"]
    assert len(sign_ins) == 2
    assert "2222" in sign_ins[0] and "2222" not in sign_ins[1]  # no demo PINs once connected
    assert server_bookings(url)["_devices"] == 1


def test_a_desk_whose_venue_the_server_lacks_is_told_how_to_load_it_and_nothing_changes(
    qtbot, tmp_path, clock, readme_server, monkeypatch
):
    base, url = readme_server
    db = tmp_path / "snug.sqlite3"
    monkeypatch.setattr(sys, "stdin", io.StringIO("4826\n"))
    init = ["init", "--venue", "The Snug", "--hours", "Tue-Sat 18:00-01:00", "--admin", "kim"]
    assert main(["--db", str(db), *init, "--pin-stdin"]) == 0
    desk = open_desk(db, clock)
    window = MainWindow(desk, desk.auth.sign_in("kim", "4826"))
    qtbot.addWidget(window)
    window.show()
    venue_id = desk.queries.venue().venue.id

    dialog = ask_to_connect(qtbot, window, base)

    said = dialog.form.error.text()
    assert f"This server has no venue 'The Snug' (id {venue_id})" in said
    assert "backroom plan export the-snug-plan.json" in said and "create-venue" in said
    assert "Nothing on this desk was changed" in said and dialog.pages.currentIndex() == 0
    assert server_bookings(url) == {"_devices": 0}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT server_url FROM device").fetchone() == (None,)
