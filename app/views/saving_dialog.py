"""A small dialog that saves what staff typed through the desk's commands: Save and
Cancel under a form, and a refusal shown above them in words, the dialog left open
with what was typed so it can be corrected (nothing is stored then)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget

from app.domain.errors import DomainError
from app.views.areas_dialog import error_label, show_error


class SavingDialog(QDialog):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.error = error_label()
        self.error.setObjectName("error_label")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def lay_out(self, *parts: QLayout | QLabel, width: int) -> None:
        """The parts from the top, then the refusal's words, then the buttons."""
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(width)

    def save(self) -> None:
        """Store what the dialog says (each dialog its own)."""
        raise NotImplementedError

    def saving(self) -> None:
        """While the desk stores it: no second click, no old refusal shown."""
        show_error(self.error, "")
        self.buttons.setEnabled(False)

    def failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        show_error(
            self.error, str(error) if isinstance(error, DomainError) else f"Not saved: {error}"
        )
