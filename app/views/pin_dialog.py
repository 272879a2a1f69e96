"""Changing one's own PIN at the desk (PINs live on each desk; the server has passwords)."""

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
from app.services.staff import StaffAdmin


class ChangePinDialog(QDialog):
    def __init__(self, admin: StaffAdmin, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin, self.staff = admin, staff
        self.message = ""
        self.setWindowTitle(f"Change {staff.name}'s PIN")
        self.current, self.new, self.again = (QLineEdit() for _ in range(3))
        for field, name in (
            (self.current, "Current PIN"),
            (self.new, "New PIN"),
            (self.again, "New PIN again"),
        ):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change PIN")
        buttons.accepted.connect(self.try_change)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Current PIN", self.current)
        form.addRow("New PIN (4–8 digits)", self.new)
        form.addRow("New PIN again", self.again)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_change(self) -> bool:
        try:
            self.message = self.admin.change_pin(
                self.staff, self.current.text(), self.new.text(), self.again.text()
            )
        except DomainError as refused:
            self.error.setText(str(refused))
            for field in (self.current, self.new, self.again):
                field.clear()
            self.current.setFocus()
            return False
        self.accept()
        return True
