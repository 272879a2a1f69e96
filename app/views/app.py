"""Start the desk: open (and migrate) the database, seed the demo on first run, show the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.models.uow import Store
from app.services.common import system_clock
from app.services.demo import seed_demo
from app.services.desk import Desk
from app.views.main_window import MainWindow


def run_desk(db_path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    store = Store(db_path)
    seed_demo(store, system_clock)
    window = MainWindow(Desk(store))
    window.show()
    return app.exec()
