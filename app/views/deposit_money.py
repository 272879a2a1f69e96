"""A manager's claim on a no-show's deposit, or refund of one paid online: the amount
(at most what may be asked), for a refund the reason, and the question that names the
amount and the card before anything is sent. A refusal keeps the dialog open with why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.deposit_ledger import parse_pounds
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.services.deposit_actions import Offer
from app.services.queries import BookingView
from app.views.commands import Commands


def pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


class DepositMoneyDialog(QDialog):
    def __init__(
        self,
        view: BookingView,
        offer: Offer,
        commands: Commands,
        parent: QWidget | None = None,
        *,
        claim: bool,
    ) -> None:
        super().__init__(parent)
        self.view, self.offer, self.commands, self.claim = view, offer, commands, claim
        verb = "Claim" if claim else "Refund"
        self.setWindowTitle(f"{verb} {view.customer.name}'s deposit")
        most = format_pence(offer.most_pence)
        limit = QLabel(
            f"At most {most}: the deposit asked for."
            if claim
            else f"At most {most}: what was taken online and not refunded yet."
        )
        self.amount = QLineEdit(pounds(offer.most_pence))
        self.reason = QLineEdit(placeholderText="why, e.g. cancelled in good time")
        self.reason.setMaxLength(200)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setObjectName("question_label")
        self.error = QLabel()
        self.error.setObjectName("error_label")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.go = QPushButton(verb)
        buttons = QDialogButtonBox()
        buttons.addButton(self.go, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.go.clicked.connect(self.send)
        cancel.clicked.connect(self.reject)
        self.amount.textChanged.connect(self._reword)
        form = QFormLayout()
        form.addRow("Amount £", self.amount)
        if not claim:
            form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(limit)
        layout.addLayout(form)
        layout.addWidget(self.question)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._reword()

    def _pence(self) -> int:
        return parse_pounds(self.amount.text())

    def _reword(self) -> None:
        """The question follows the amount typed, so what is confirmed is what is sent."""
        verb = "Claim" if self.claim else "Refund"
        try:
            pence = self._pence()
        except DomainError as refused:
            self.question.setText("")
            self.error.setText(str(refused))
            self.go.setEnabled(False)
            self.go.setText(verb)
            return
        self.error.clear()
        self.question.setText(self.offer.question(pence))
        self.go.setEnabled(True)
        self.go.setText(f"{verb} {format_pence(pence)}")

    def send(self) -> None:
        try:
            pence = self._pence()
        except DomainError as refused:
            self.error.setText(str(refused))
            return
        self.error.clear()
        self.go.setEnabled(False)
        booking_id = self.view.booking.id
        if self.claim:
            self.commands.claim_deposit(booking_id, pence, lambda _r: self.accept(), self._refused)
        else:
            self.commands.refund_deposit(
                booking_id, pence, self.reason.text(), lambda _r: self.accept(), self._refused
            )

    def _refused(self, error: Exception) -> None:
        self.go.setEnabled(True)
        self.error.setText(str(error))
