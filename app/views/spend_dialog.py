"""What a party spent, typed from the till, against the minimum spend of its tables.

The dialog says the minimum (and what was recorded before) above the amount; a
refusal keeps it open with why, and nothing is stored.
"""

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

from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.spend import Against
from app.services.queries import BookingView
from app.views.areas_dialog import ERROR_STYLE
from app.views.commands import Commands
from app.views.deposit_money import pounds


class SpendDialog(QDialog):
    def __init__(
        self, view: BookingView, against: Against, commands: Commands, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.view, self.commands = view, commands
        b = view.booking
        self.setWindowTitle(f"What {view.customer.name}'s party spent")
        where = f"Tables {view.tables}" if "+" in view.tables else f"Table {view.tables}"
        minimum = format_pence(against.minimum_pence)
        if against.minimum_pence:
            asked = f"{where} asks a minimum spend of {minimum}."
        else:
            asked = f"{where} has no minimum spend."
        self.minimum = QLabel(asked if view.tables else "No table: no minimum spend.")
        self.minimum.setWordWrap(True)
        self.recorded = QLabel(
            f"Recorded so far: {against.words()}." if b.spend_pence is not None else ""
        )
        self.recorded.setVisible(b.spend_pence is not None)
        self.amount = QLineEdit(pounds(b.spend_pence) if b.spend_pence is not None else "")
        self.amount.setPlaceholderText("the bill's total from the till, e.g. 180.50")
        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("error_label")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        form = QFormLayout()
        form.addRow("Spent £", self.amount)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.minimum)
        layout.addWidget(self.recorded)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)

    def save(self) -> None:
        self.error.hide()
        self.buttons.setEnabled(False)
        self.commands.record_spend(
            self.view.booking.id, self.amount.text(), lambda _: self.accept(), self._failed
        )

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        words = str(error) if isinstance(error, DomainError) else f"Not saved: {error}"
        self.error.setText(words)
        self.error.show()
