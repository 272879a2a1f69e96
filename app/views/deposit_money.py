"""A manager's claim on a no-show's deposit, or refund of one paid online: the amount
(at most what may be asked), for a refund the reason, and the question that names the
amount and the card before anything is sent. A refusal keeps the dialog open with why.

``AmountDialog`` is the shape every dialog that moves deposit money shares (this one and
app.views.give_back_dialog): the amount, the question that follows what is typed, and a
button that says the sum."""

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


class AmountDialog(QDialog):
    """An amount of deposit money and the question it asks, so what is confirmed is what
    is sent. A subclass adds its rows to ``form``, then calls ``reword``; it says the
    question (``ask``) and sends the sum (``send_pence``)."""

    def __init__(
        self, title: str, limit: str, verb: str, start_pence: int, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.verb = verb
        self.setWindowTitle(title)
        said = QLabel(limit)
        said.setWordWrap(True)
        self.amount = QLineEdit(pounds(start_pence))
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
        self.amount.textChanged.connect(self.reword)
        self.form = QFormLayout()
        self.form.addRow("Amount £", self.amount)
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(self.form)
        layout.addWidget(self.question)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def ask(self, pence: int) -> str:
        raise NotImplementedError

    def send_pence(self, pence: int) -> None:
        raise NotImplementedError

    def reword(self) -> None:
        """The question follows what is typed, so what is confirmed is what is sent."""
        try:
            pence = parse_pounds(self.amount.text())
        except DomainError as refused:
            self.question.setText("")
            self.error.setText(str(refused))
            self.go.setEnabled(False)
            self.go.setText(self.verb)
            return
        self.error.clear()
        self.question.setText(self.ask(pence))
        self.go.setEnabled(True)
        self.go.setText(f"{self.verb} {format_pence(pence)}")

    def send(self) -> None:
        try:
            pence = parse_pounds(self.amount.text())
        except DomainError as refused:
            self.error.setText(str(refused))
            return
        self.error.clear()
        self.go.setEnabled(False)
        self.send_pence(pence)

    def refused(self, error: Exception) -> None:
        self.go.setEnabled(True)
        self.error.setText(str(error))


class DepositMoneyDialog(AmountDialog):
    def __init__(
        self,
        view: BookingView,
        offer: Offer,
        commands: Commands,
        parent: QWidget | None = None,
        *,
        claim: bool,
    ) -> None:
        most = format_pence(offer.most_pence)
        verb = "Claim" if claim else "Refund"
        limit = (
            f"At most {most}: the deposit asked for."
            if claim
            else f"At most {most}: what was taken online and not refunded yet."
        )
        title = f"{verb} {view.customer.name}'s deposit"
        super().__init__(title, limit, verb, offer.most_pence, parent)
        self.view, self.offer, self.commands, self.claim = view, offer, commands, claim
        self.reason = QLineEdit(placeholderText="why, e.g. cancelled in good time")
        self.reason.setMaxLength(200)
        if not claim:
            self.form.addRow("Reason", self.reason)
        self.reword()

    def ask(self, pence: int) -> str:
        return self.offer.question(pence)

    def send_pence(self, pence: int) -> None:
        booking_id = self.view.booking.id
        if self.claim:
            self.commands.claim_deposit(booking_id, pence, lambda _r: self.accept(), self.refused)
        else:
            self.commands.refund_deposit(
                booking_id, pence, self.reason.text(), lambda _r: self.accept(), self.refused
            )
