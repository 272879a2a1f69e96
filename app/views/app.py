"""Start the desk: open (and migrate) the database, seed the demo on first run, sign in,
show the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.models.uow import Store
from app.services.common import system_clock
from app.services.demo import seed_demo
from app.services.desk import Desk
from app.sync.link import start_sync
from app.views.main_window import MainWindow
from app.views.sign_in import SignInDialog


def run_desk(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Backroom")
    store = Store(db_path)
    seed_demo(store, system_clock)
    desk = Desk(store)
    dialog = SignInDialog(desk.auth, desk.queries.venue().venue.name)
    if not dialog.exec() or dialog.staff is None:
        return 0
    runner = start_sync(store)
    window = MainWindow(
        desk,
        dialog.staff,
        runner.monitor if runner else None,
        runner.holds if runner else None,
    )
    if runner is not None:
        # A saved change goes to the server at once rather than at the next poll.
        window.ops.changed.connect(lambda _change: runner.nudge())
        app.aboutToQuit.connect(runner.stop)
    window.show()
    return app.exec()
