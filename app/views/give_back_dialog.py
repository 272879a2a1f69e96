"""A manager records deposit money given back outside Stripe: the amount (at most what the
venue holds of the booking's money), how (cash, the card machine, a bank transfer) and why,
with the sentence that will be recorded shown before anything is. A refusal keeps the
dialog open with why."""

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
from app.services.give_back import GiveBackOffer
from app.views.commands import Commands
from app.views.deposit_money import pounds


class GiveBackDialog(QDialog):
    def __init__(
        self, offer: GiveBackOffer, commands: Commands, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.offer, self.commands = offer, commands
        self.setWindowTitle(f"Money given back to {offer.guest}")
        limit = QLabel(
            f"Money given back outside Stripe, at most {format_pence(offer.most_pence)}: "
            "what the venue holds of this booking's deposit. A refund through Stripe is "
            "Refund deposit…"
        )
        limit.setWordWrap(True)
        self.amount = QLineEdit(pounds(offer.suggested_pence))
        self.method = QComboBox()
        for method in PaymentMethod:
            self.method.addItem(method.words.capitalize(), method)
        self.reason = QLineEdit(placeholderText="why, e.g. refund sent back: bank transfer")
        self.reason.setMaxLength(200)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.go = QPushButton("Record")
        buttons = QDialogButtonBox()
        buttons.addButton(self.go, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.go.clicked.connect(self.send)
        cancel.clicked.connect(self.reject)
        self.amount.textChanged.connect(self._reword)
        self.method.currentIndexChanged.connect(self._reword)
        form = QFormLayout()
        form.addRow("Amount £", self.amount)
        form.addRow("Given back by", self.method)
        form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(limit)
        layout.addLayout(form)
        layout.addWidget(self.question)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._reword()

    def _picked(self) -> PaymentMethod:
        return PaymentMethod(self.method.currentData())

    def _reword(self) -> None:
        """The sentence follows what is typed, so what is confirmed is what is recorded."""
        try:
            pence = parse_pounds(self.amount.text())
        except DomainError as refused:
            self.question.setText("")
            self.error.setText(str(refused))
            self.go.setEnabled(False)
            self.go.setText("Record")
            return
        self.error.clear()
        self.question.setText(self.offer.question(pence, self._picked()))
        self.go.setEnabled(True)
        self.go.setText(f"Record {format_pence(pence)} given back")

    def send(self) -> None:
        try:
            pence = parse_pounds(self.amount.text())
        except DomainError as refused:
            self.error.setText(str(refused))
            return
        self.error.clear()
        self.go.setEnabled(False)
        self.commands.give_back(
            self.offer.booking_id,
            pence,
            self._picked(),
            self.reason.text(),
            lambda _r: self.accept(),
            self._refused,
        )

    def _refused(self, error: Exception) -> None:
        self.go.setEnabled(True)
        self.error.setText(str(error))
