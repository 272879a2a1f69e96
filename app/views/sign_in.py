"""Signing in at the desk: name and PIN, checked against this desk's own copy (works offline)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.services.auth import StaffAuth


class SignInDialog(QDialog):
    def __init__(
        self,
        auth: StaffAuth,
        venue_name: str,
        parent: QWidget | None = None,
        *,
        demo_hint: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.auth = auth
        self.staff: Staff | None = None
        self.setWindowTitle(f"Sign in — {venue_name}")
        self.username = QLineEdit(placeholderText="e.g. sam")
        self.username.setAccessibleName("Staff name")
        self.pin = QLineEdit(placeholderText="4-digit PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("PIN")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        words = "PINs are checked on this desk, so signing in works with the internet down."
        self.note = QLabel(f"{words}\n{demo_hint}" if demo_hint else words)
        note = self.note
        note.setStyleSheet("color: #666; font-size: 11px;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Name", self.username)
        form.addRow("PIN", self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h3>{venue_name}</h3>"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def try_sign_in(self) -> bool:
        try:
            self.staff = self.auth.sign_in(self.username.text(), self.pin.text())
        except DomainError as error:
            self.error.setText(str(error))
            self.pin.clear()
            self.pin.setFocus()
            return False
        self.accept()
        return True
