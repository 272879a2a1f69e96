"""Settling a deposit at the bar: take it now (how it was paid) or, for a manager, waive it.

Opened by the Seat gesture on a party that still owes its deposit ("Take £80.00
now, or waive it"), which then seats the party in the same unit of work; the
dialog stays open with the reason when anything is refused, so nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.deposit_ledger import PaymentMethod, parse_pounds
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.permissions import Action
from app.services.deposits import Settlement, TakeDeposit, WaiveDeposit
from app.services.queries import BookingView
from app.views.commands import Commands
from app.views.state import DeskState


class SettleDepositDialog(QDialog):
    def __init__(
        self,
        view: BookingView,
        commands: Commands,
        state: DeskState,
        parent: QWidget | None = None,
        *,
        seat: bool = True,
    ) -> None:
        super().__init__(parent)
        self.view, self.commands, self.seat = view, commands, seat
        b = view.booking
        owed = format_pence(b.deposit_pence)
        self.setWindowTitle(f"{view.customer.name} owes a {owed} deposit")
        then = " and seat them" if seat else ""
        question = QLabel(
            f"<b>{view.customer.name}</b>, party of {b.party_size}, owes a <b>{owed}</b> "
            f"deposit. Take it now{then}, or a manager can waive it."
        )
        question.setWordWrap(True)
        self.amount = QLineEdit(f"{b.deposit_pence // 100}.{b.deposit_pence % 100:02d}")
        self.method = QComboBox()
        for method in PaymentMethod:
            self.method.addItem(method.words.capitalize(), method)
        self.note = QLineEdit(placeholderText="optional, e.g. till 2")
        self.note.setMaxLength(200)
        self.reason = QLineEdit(placeholderText="why it is waived (managers only)")
        self.reason.setMaxLength(200)
        self.error = QLabel()
        self.error.setObjectName("error_label")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        verb = "and seat" if seat else ""
        self.take_button = QPushButton(f"Take {owed} {verb}".strip())
        self.waive_button = QPushButton(f"Waive {verb}".strip())
        may_waive = state.may(Action.WAIVE_DEPOSIT)
        self.waive_button.setEnabled(may_waive)
        self.reason.setEnabled(may_waive)
        buttons = QDialogButtonBox()
        buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.waive_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.take_button.clicked.connect(self.take)
        self.waive_button.clicked.connect(self.waive)
        self.cancel_button.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Amount £", self.amount)
        form.addRow("Paid by", self.method)
        form.addRow("Note", self.note)
        form.addRow("Waive because", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def take(self) -> None:
        try:
            pence = parse_pounds(self.amount.text())
        except DomainError as refused:
            self.error.setText(str(refused))
            return
        method = PaymentMethod(self.method.currentData())
        self._send(TakeDeposit(pence, method, self.note.text()))

    def waive(self) -> None:
        self._send(WaiveDeposit(self.reason.text()))

    def _send(self, settlement: Settlement) -> None:
        self.error.clear()
        self.take_button.setEnabled(False)
        booking_id = self.view.booking.id
        send = self.commands.seat_at_door if self.seat else self.commands.settle_deposit
        send(booking_id, settlement, lambda _result: self.accept(), self._refused)

    def _refused(self, error: Exception) -> None:
        self.take_button.setEnabled(True)
        self.error.setText(str(error))
