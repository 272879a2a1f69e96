"""Desk → Connect to a server…: a desk that works alone joins its venue's server.

The desk may hold a night (a venue that ran on its own, or the demo). The form
signs in and shows what this desk holds and what the server holds before
anything is registered; the manager chooses to upload this desk's night or take
the server's (app.sync.first_connect). Once connected, the dialog says what
happened (where this desk's own night was kept) and the desk opens again,
syncing (``app.services.compose.reopened``): the window closes, since what it
showed was read before.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.services.desk import Desk
from app.services.first_run import FirstRun
from app.views.connect_form import ConnectForm
from app.views.pages import finished_page
from app.views.workers import Worker

REOPEN = "Open the desk again, connected"


class ConnectDialog(QDialog):
    def __init__(self, desk: Desk, worker: Worker, window: QWidget) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Connect to a server")
        self.setMinimumWidth(620)
        self.setModal(True)
        self.form = ConnectForm(FirstRun(desk.store, desk.clock), desk.store.path, worker)
        self.form.back.setText("Cancel")
        self.form.back.clicked.connect(self.reject)
        self.form.done.connect(self._connected)
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reopen = QPushButton(REOPEN)
        self.reopen.setDefault(True)
        self.reopen.clicked.connect(self.accept)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.form)
        self.pages.addWidget(finished_page("Connected", self.said, self.reopen))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def _connected(self) -> None:
        result = self.form.result
        assert result is not None
        lines = [
            *result.said,
            "",
            f"The desk now opens again on {result.venue_name}, syncing: sign in once more.",
        ]
        self.said.setText("\n".join(lines))
        self.pages.setCurrentIndex(1)

    def done(self, result: int) -> None:
        """QDialog::done: a connection under way finishes first; once connected, the desk
        reopens however the dialog is closed (what the window shows is out of date)."""
        if self.form.working:
            return
        super().done(result)
        if self.form.result is not None:
            self.window_.close()
