"""Start the desk: open it (app/services/compose.py), sign in, show the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import log_dir
from app.domain.errors import DomainError
from app.services.common import system_clock
from app.services.compose import desk_on, open_first, reopened
from app.services.demo import demo_pins_hint
from app.services.diagnostics import start_logging
from app.services.faults import explained
from app.views.crash import CrashGuard
from app.views.first_run import first_run_done
from app.views.main_window import MainWindow
from app.views.sign_in import SignInDialog

# The exit code when the desk's file cannot be opened (as the command line's).
CANNOT_OPEN = 3


def run_desk(db_path: Path, *, create: bool = True, demo: bool = False) -> int:
    """Open the desk on ``db_path``; make a new desk there only if ``create`` (its first
    start at the default place). A file that cannot be used is explained, not opened.
    A desk with no venue yet asks what it is for (app/views/first_run.py), unless
    ``demo`` (``./scripts/desk``) says: the demo."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Backroom")
    logs = log_dir()
    start_logging(logs)
    CrashGuard(logs, system_clock, app).install()
    try:
        first = open_first(db_path, create=create)
        if not first_run_done(first, db_path, demo=demo):
            first.store.close()  # closed without a choice: the next start asks again
            return 0
        desk = desk_on(first.store)
    except Exception as error:
        problem = explained(error, db_path)
        if not isinstance(problem, DomainError):
            raise
        QMessageBox.critical(None, "Backroom cannot open this desk", str(problem))
        return CANNOT_OPEN
    while True:
        dialog = SignInDialog(
            desk.auth, desk.queries.venue().venue.name, demo_hint=demo_pins_hint(desk.store)
        )
        if not dialog.exec() or dialog.staff is None:
            if desk.sync is not None:
                desk.sync.stop()
            return 0
        window = MainWindow(desk, dialog.staff)
        if desk.sync is not None:
            app.aboutToQuit.connect(desk.sync.stop)
        window.show()
        code = app.exec()
        # Connected from the window (Desk → Connect to a server…): open it again, syncing.
        again = reopened(desk)
        if again is None:
            return code
        window.deleteLater()  # its workers stopped as it closed; its timers go with it
        desk = again
