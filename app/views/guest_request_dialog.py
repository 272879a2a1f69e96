"""Desk → A guest's data request…: an admin answers a guest who asks for everything the
venue holds about them, or to be forgotten (docs/data-protection.md).

On a connected desk the server answers both, so the admin signs in to it with their
password (never kept). A desk that works alone has no server: its file is everything
the venue holds, so their data is saved from it and an erasure forgets them in it (the
admin already signed in). The desk checks the admin's role and the phone, email or
reference first. Their data is saved to a file the admin chooses (readable by its owner
alone); an erasure is confirmed first, in words that say it cannot be undone. A refusal
("still has a booking …") is shown as it comes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import protocol as p
from app.domain.data_requests import FoundBy, GuestKey
from app.domain.data_summary import page_for
from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.services.data_requests import GuestRequests, erased_words, save_data
from app.views.workers import Worker

BY = {"Phone": FoundBy.PHONE, "Email": FoundBy.EMAIL, "Booking reference": FoundBy.REFERENCE}
ERASE_QUESTION = (
    "Erase {who}?\n\nTheir name, phone, email, notes and consent answers, and every word "
    "written about them or their bookings, are removed from the server and then from every "
    "desk. Their bookings stay as parties at tables, and the money as it was. This cannot "
    "be undone."
)


class GuestRequestDialog(QDialog):
    def __init__(
        self, requests: GuestRequests, staff: Staff, worker: Worker, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.requests = requests
        self.staff = staff
        self.worker = worker
        self.data: p.GuestData | None = None
        self.file_dialog: QFileDialog | None = None
        self.confirm: QMessageBox | None = None
        self.setWindowTitle("A guest's data request")
        self.setMinimumWidth(560)
        self.connected = requests.connected()
        intro = QLabel(
            "A guest may ask for everything the venue holds about them, or to be forgotten. "
            + (
                "The server answers both: sign in with your password on it."
                if self.connected
                else "This desk works alone, so its file is everything the venue holds: "
                "their data is saved from it, and forgetting them erases them from it."
            )
        )
        intro.setWordWrap(True)
        self.by = QComboBox()
        self.by.addItems(list(BY))
        self.by.setAccessibleName("Find the guest by")
        self.key = QLineEdit(placeholderText="as the guest gives it")
        self.key.setAccessibleName("The guest's phone, email or booking reference")
        self.username = QLineEdit(requests.username(staff))
        self.username.setPlaceholderText("your username on the server")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Your password on the server")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFormat("Asking the server…")
        self.busy.setTextVisible(True)
        self.busy.hide()
        self.said = QLabel()
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save their data…")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.ask_data)
        self.erase_button = QPushButton("Erase them…")
        self.erase_button.clicked.connect(self.ask_erase)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Find the guest by", self.by)
        form.addRow("Their phone, email or reference", self.key)
        if self.connected:
            form.addRow("Your username", self.username)
            form.addRow("Your password", self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.said)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _key(self) -> GuestKey | None:
        typed = {BY[self.by.currentText()].value: self.key.text()}
        try:
            return self.requests.key(self.staff, **typed)
        except DomainError as refused:
            self._say(str(refused), ok=False)
            return None

    def ask_data(self) -> None:
        key = self._key()
        if key is None:
            return
        username, password = self.username.text().strip(), self.password.text()

        def ask() -> p.GuestData:
            if self.connected:
                return self.requests.data(key, username, password)
            return self.requests.local_data(self.staff, key)

        self._working(True)
        self.worker.submit(ask, self._got_data, self._refused)

    def _got_data(self, data: p.GuestData) -> None:
        self._working(False)
        self.data = data
        self.file_dialog = QFileDialog(self, "Save the guest's data")
        self.file_dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        # Qt's own dialog, opened without blocking: the same on every platform, and one a
        # test can drive (a platform's native one runs outside Qt's widgets).
        self.file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        self.file_dialog.setNameFilter("JSON (*.json)")
        self.file_dialog.selectFile("guest-data.json")
        self.file_dialog.fileSelected.connect(self.save_to)
        self.file_dialog.open()

    def save_to(self, path: str) -> None:
        assert self.data is not None
        try:
            rows = save_data(self.data, Path(path))
        except FileExistsError as there:
            self._say(f"{there.filename} exists already; save it under a new name.", ok=False)
            return
        except OSError as failed:
            self._say(f"The file could not be written ({failed.strerror}).", ok=False)
            return
        page = page_for(Path(path))
        self._say(
            f"Saved {rows} rows about the guest to {path}, and the same in words for them to "
            f"read to {page.name}; both readable by you alone."
        )

    def ask_erase(self) -> None:
        key = self._key()
        if key is None:
            return
        self.confirm = QMessageBox(
            QMessageBox.Icon.Warning,
            "Erase this guest?",
            ERASE_QUESTION.format(who=f"the guest with the {key}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.button(QMessageBox.StandardButton.Yes).setText("Erase them")
        self.confirm.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm.finished.connect(lambda answer: self._erase_if(answer, key))
        self.confirm.open()

    def _erase_if(self, answer: int, key: GuestKey) -> None:
        if answer != QMessageBox.StandardButton.Yes:
            return
        username, password = self.username.text().strip(), self.password.text()

        def erase() -> p.GuestErased:
            if self.connected:
                return self.requests.erase(key, username, password)
            return self.requests.erase_here(self.staff, key)

        self._working(True)
        self.worker.submit(erase, self._erased, self._refused)

    def _erased(self, done: p.GuestErased) -> None:
        self._working(False)
        self.key.clear()
        self._say(erased_words(done, here=not self.connected))

    def _refused(self, error: Exception) -> None:
        self._working(False)
        words = str(error) if isinstance(error, DomainError) else f"It did not work ({error})."
        self._say(words, ok=False)

    def _working(self, on: bool) -> None:
        self.busy.setVisible(on)
        if on:
            self.said.clear()
        for widget in (self.save_button, self.erase_button, self.key, self.by, self.password):
            widget.setEnabled(not on)

    def _say(self, text: str, *, ok: bool = True) -> None:
        self.said.setStyleSheet("" if ok else "color: #b3261e;")
        self.said.setText(text)
