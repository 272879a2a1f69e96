"""Start the desk: open it (app/services/compose.py), sign in, show the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.services.compose import open_desk
from app.views.main_window import MainWindow
from app.views.sign_in import SignInDialog


def run_desk(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Backroom")
    desk = open_desk(db_path)
    dialog = SignInDialog(desk.auth, desk.queries.venue().venue.name)
    if not dialog.exec() or dialog.staff is None:
        if desk.sync is not None:
            desk.sync.stop()
        return 0
    window = MainWindow(desk, dialog.staff)
    if desk.sync is not None:
        app.aboutToQuit.connect(desk.sync.stop)
    window.show()
    return app.exec()
