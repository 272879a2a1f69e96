"""What a party spent, typed from the till, against the minimum spend of its tables.

The dialog says the minimum (and what was recorded before) above the amount; a
refusal keeps it open with why, and nothing is stored.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.domain.deposits import format_pence
from app.domain.spend import Against
from app.services.queries import BookingView
from app.views.commands import Commands
from app.views.deposit_money import pounds
from app.views.saving_dialog import SavingDialog


class SpendDialog(SavingDialog):
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
        form = QFormLayout()
        form.addRow("Spent £", self.amount)
        self.lay_out(self.minimum, self.recorded, form, width=360)

    def save(self) -> None:
        self.saving()
        self.commands.record_spend(
            self.view.booking.id, self.amount.text(), lambda _: self.accept(), self.failed
        )
