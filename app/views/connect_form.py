"""Connecting this desk to its venue's server: address, a manager's sign-in, and a choice.

A new desk downloads the venue, plan, staff and bookings, and the manager chooses
a PIN to sign in at it. A desk that already holds a night sends nothing at first:
the server's answer (what this desk holds, what the server holds) is shown, and
the manager chooses to upload this desk's night or take the server's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.services.first_run import Choice, ConnectedDesk, FirstRun, NightChoiceNeeded


class ConnectForm(QWidget):
    done = Signal()

    def __init__(self, first: FirstRun, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = first
        self.db_path = db_path
        self.result: ConnectedDesk | None = None
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
        self.night = QGroupBox("This desk holds a night")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.upload = QRadioButton("Upload this desk's night (its staff are created on the server)")
        self.take_server = QRadioButton(
            "Take the server's night (this desk's is kept in files beside it)"
        )
        self.choice = QButtonGroup(self)
        for button in (self.upload, self.take_server):
            self.choice.addButton(button)
        night = QVBoxLayout(self.night)
        for widget in (self.summary, self.upload, self.take_server):
            night.addWidget(widget)
        self.night.hide()
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
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        layout.addLayout(buttons)

    def chosen(self) -> Choice | None:
        if self.upload.isChecked():
            return Choice.UPLOAD
        if self.take_server.isChecked():
            return Choice.TAKE_SERVER
        return None

    def submit(self) -> bool:
        if self.night.isVisible() and self.chosen() is None:
            self.error.setText("Choose what happens to this desk's night.")
            return False
        pin = (self.pin.text(), self.again.text()) if self.first.needed() else None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = self.first.connect(
                self.db_path,
                self.server.text(),
                self.username.text(),
                self.password.text(),
                choice=self.chosen(),
                pin=pin,
                venue=self.venue.text().strip() or None,
            )
        except NightChoiceNeeded as asked:
            self.summary.setText(str(asked).split(" Choose:")[0])
            self.night.show()
            self.error.setText("Choose what happens to this desk's night, then Connect.")
            return False
        except DomainError as error:
            self.error.setText(str(error))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.done.emit()
        return True
