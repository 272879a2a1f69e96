"""Connecting this desk to its venue's server: address, a manager's sign-in, and a choice.

A new desk downloads the venue, plan, staff and bookings, and the manager chooses
a PIN to sign in at it. A desk that already holds a night sends nothing at first:
the server's answer (what this desk holds, what the server holds) is shown, and
the manager chooses to upload this desk's night or take the server's.

The talking to the server runs on a worker thread (``app.views.workers``): the
form shows that it is busy and the window stays live. In the main window it runs
on the worker that owns the desk's writes, so nothing else changes the file in
the middle of a connection (taking the server's night copies the file, then
empties it). On a first run nothing else writes, and each attempt gets a thread
of its own that ends with it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.services.first_run import Choice, ConnectedDesk, FirstRun, NightChoiceNeeded
from app.views.workers import Worker

UPLOAD = "Upload this desk's night"
TAKE_SERVER = "Take the server's night (this desk's is kept as a file)"


class ConnectForm(QWidget):
    done = Signal()

    def __init__(
        self,
        first: FirstRun,
        db_path: Path,
        worker: Worker | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.first = first
        self.db_path = db_path
        self.worker = worker
        self.result: ConnectedDesk | None = None
        self._working = False
        self._attempt: Worker | None = None
        self.server = QLineEdit(placeholderText="https://backroom.example:8000")
        self.server.setAccessibleName("Server address")
        self.username = QLineEdit(placeholderText="a manager's or admin's username")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.venue = QLineEdit(placeholderText="only if the server holds several venues")
        self.pin = QLineEdit(placeholderText="4-8 digits, to sign in at this desk")
        self.again = QLineEdit()
        for pin in (self.pin, self.again):
            pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.night = QGroupBox("This desk holds a night: nothing was sent")
        self.desk_holds = QLabel()
        self.server_holds = QLabel()
        self.upload = QRadioButton(UPLOAD)
        self.upload.setToolTip(
            "Its bookings go to the server; its staff the server does not know are created "
            "there first (sign in as an admin)."
        )
        self.take_server = QRadioButton(TAKE_SERVER)
        self.take_server.setToolTip(
            "A full copy of this desk's file and its unsent changes are kept beside it; "
            "the desk then takes the server's bookings."
        )
        self.choice = QButtonGroup(self)
        for button in (self.upload, self.take_server):
            self.choice.addButton(button)
        night = QVBoxLayout(self.night)
        for label in (self.desk_holds, self.server_holds):
            label.setWordWrap(True)
            night.addWidget(label)
        night.addWidget(self.upload)
        night.addWidget(self.take_server)
        self.night.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no end known: it moves until the server answers
        self.busy.setFormat("Talking to the server…")
        self.busy.setTextVisible(True)
        self.busy.setAccessibleName("Talking to the server")
        self.busy.hide()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.back = QPushButton("Back")
        self.connect_button = QPushButton("Connect")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.submit)
        form = QFormLayout()
        form.addRow("Server address", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        if first.needed():
            form.addRow("Venue", self.venue)
            form.addRow("Your PIN here", self.pin)
            form.addRow("PIN again", self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Connect to my venue's server</h3>"))
        layout.addLayout(form)
        layout.addWidget(self.night)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        layout.addLayout(buttons)
        # A summary from one server (or one sign-in) says nothing about another.
        for field in (self.server, self.username):
            field.textEdited.connect(self._forget_night)

    def chosen(self) -> Choice | None:
        if self.upload.isChecked():
            return Choice.UPLOAD
        if self.take_server.isChecked():
            return Choice.TAKE_SERVER
        return None

    @property
    def working(self) -> bool:
        """True while the server is being asked (the dialog waits for it to finish)."""
        return self._working

    def submit(self) -> bool:
        """Start connecting (False when the form is not ready); ``done`` says it worked."""
        if self.working:
            return False
        if self.night.isVisible() and self.chosen() is None:
            self.error.setText("Choose what happens to this desk's night.")
            return False
        pin = (self.pin.text(), self.again.text()) if self.first.needed() else None
        server, username, password = self.server.text(), self.username.text(), self.password.text()
        choice, venue = self.chosen(), self.venue.text().strip() or None

        def connect() -> ConnectedDesk:
            return self.first.connect(
                self.db_path, server, username, password, choice=choice, pin=pin, venue=venue
            )

        self._set_working(True)
        if self.worker is None:
            self._attempt = Worker("connect", self)
        (self.worker or self._attempt).submit(connect, self._connected, self._refused)
        return True

    def _connected(self, result: ConnectedDesk) -> None:
        self._set_working(False)
        self.result = result
        self.done.emit()

    def _refused(self, error: Exception) -> None:
        self._set_working(False)
        if isinstance(error, NightChoiceNeeded):
            self.desk_holds.setText(error.desk_holds)
            self.server_holds.setText(error.server_holds)
            self.night.show()
            self.error.setText("Choose what happens to this desk's night, then Connect.")
            self.window().adjustSize()  # room for the summary, however long it wraps
        elif isinstance(error, DomainError):
            self.error.setText(str(error))
        else:
            self.error.setText(f"Connecting did not work and nothing was changed ({error}).")

    def _set_working(self, on: bool) -> None:
        if not on and self._attempt is not None:
            self._attempt.stop()  # its one job is done: the thread ends with it
        self._working = on
        self.busy.setVisible(on)
        if on:
            self.error.clear()
        for widget in (self.connect_button, self.back, self.night, *self._fields()):
            widget.setEnabled(not on)

    def _fields(self) -> tuple[QWidget, ...]:
        return (self.server, self.username, self.password, self.venue, self.pin, self.again)

    def _forget_night(self) -> None:
        self.night.hide()
        self.choice.setExclusive(False)
        for button in (self.upload, self.take_server):
            button.setChecked(False)
        self.choice.setExclusive(True)
