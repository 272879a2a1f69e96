"""Desk → Put this desk right…: the cure the last sync named, run from the window.

Opened from the menu or by clicking the sync badge while the desk is stopped by a
server restored from an older backup (app.services.desk_repair). It says why in the
server's or the desk's own words, what the cure keeps, and runs it on the worker that
owns the desk's writes (nothing else changes the file meanwhile). Once done it says
where the file and the unsent changes were kept, and the desk opens again, syncing
(``app.services.compose.reopened``): the window closes, since what it showed was read
before. Only a manager or an admin may run it; anyone else is told to ask one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PermissionDenied
from app.domain.permissions import Action, Staff
from app.services.desk_repair import DeskRepair
from app.sync.status import Cure
from app.views.pages import finished_page
from app.views.workers import Worker

REOPEN = "Open the desk again"
TAKE = "Take the server's night"
REBUILD = "Rebuild this desk"

WHAT_IT_DOES = {
    Cure.TAKE_SERVER: (
        "Ask the server's operator first whether a newer copy of the server can be put "
        "back: then this desk syncs on by itself. If not, take the server's night: this "
        "desk's file is copied beside it first (it keeps whatever the server lost, to "
        "enter again), its copy of the night is dropped and taken from the server, and "
        "its changes not yet sent stay here and are sent after."
    ),
    Cure.REBUILD: (
        "Ask the server's operator first whether a newer copy of the server can be put "
        "back: then this desk syncs on by itself. If not, rebuild this desk from the "
        "server with a manager's sign-in: this desk's file is copied beside it and its "
        "changes not yet sent are written to a file, then the desk is registered anew "
        "and takes the server's night. Enter again what the server lost from the copy."
    ),
}


class RepairDialog(QDialog):
    def __init__(self, repair: DeskRepair, staff: Staff, worker: Worker, window: QWidget) -> None:
        super().__init__(window)
        self.window_ = window
        self.repair = repair
        self.staff = staff
        self.worker = worker
        self.working = False
        self.cure = repair.cure()
        self.setWindowTitle("Put this desk right")
        self.setMinimumWidth(620)
        self.setModal(True)
        self.why = _paragraph(repair.sync.monitor.status.detail)
        self.what = _paragraph(WHAT_IT_DOES[self.cure] if self.cure else _NOTHING)
        self.username = QLineEdit(placeholderText="a manager's or admin's username")
        self.username.setAccessibleName("Username")
        self.password = QLineEdit()
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _paragraph("")
        self.error.setStyleSheet("color: #b3261e;")
        self.go = QPushButton(REBUILD if self.cure is Cure.REBUILD else TAKE)
        self.go.clicked.connect(self.submit)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        ask = self._asking(cancel)
        self.said = _paragraph("")
        self.reopen = QPushButton(REOPEN)
        self.reopen.clicked.connect(self.accept)
        self.pages = QStackedWidget()
        self.pages.addWidget(ask)
        self.pages.addWidget(finished_page("Put right", self.said, self.reopen))
        QVBoxLayout(self).addWidget(self.pages)

    def _asking(self, cancel: QPushButton) -> QWidget:
        """The first page: why the desk stopped, what the cure does, and the button."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h3>This desk has stopped syncing</h3>"))
        layout.addWidget(self.why)
        layout.addWidget(self.what)
        if self.cure is Cure.REBUILD:
            form = QFormLayout()
            form.addRow("Username", self.username)
            form.addRow("Password", self.password)
            layout.addLayout(form)
        may = True
        try:
            # The role's rule in its one home: the same refusal the cure itself would give.
            self.staff.require(Action.REGISTER_DESK)
        except PermissionDenied as refused:
            may = False
            self.error.setText(f"{refused} Ask a manager to sign in here and put it right.")
        self.go.setEnabled(may and self.cure is not None)
        self.go.setDefault(True)
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.go)
        layout.addLayout(buttons)
        return page

    def submit(self) -> None:
        if self.working or self.cure is None:
            return
        if self.cure is Cure.REBUILD and not (self.username.text() and self.password.text()):
            self.error.setText("A manager's username and password, to register the desk anew.")
            return
        repair, staff = self.repair, self.staff
        if self.cure is Cure.REBUILD:
            username, password = self.username.text().strip(), self.password.text()
            job = lambda: repair.rebuild(staff, username, password)  # noqa: E731
        else:
            job = lambda: repair.take_servers_night(staff)  # noqa: E731
        self.working = True
        self.go.setEnabled(False)
        self.error.clear()
        self.go.setText("Working…")
        self.worker.submit(job, self._done, self._failed)

    def _done(self, said: tuple[str, ...]) -> None:
        self.working = False
        self.said.setText(
            "\n".join(
                [
                    *said,
                    "",
                    "The desk now opens again, syncing: sign in once more. Once it is up to "
                    "date, Desk → Bookings the server lost… lists the bookings of tonight and "
                    "later that only the copy holds, to enter again.",
                ]
            )
        )
        self.pages.setCurrentIndex(1)
        self.reopen.setDefault(True)

    def _failed(self, error: Exception) -> None:
        self.working = False
        self.go.setEnabled(True)
        self.go.setText(REBUILD if self.cure is Cure.REBUILD else TAKE)
        self.password.clear()
        self.error.setText(f"{error} Nothing on this desk was changed.")

    def done(self, result: int) -> None:
        """QDialog::done: a cure under way finishes first; once done, the desk reopens
        however the dialog is closed (what the window shows is out of date)."""
        if self.working:
            return
        super().done(result)
        if self.repair.done:
            self.window_.close()


_NOTHING = "This desk syncs as it should: there is nothing to put right."


def _paragraph(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
