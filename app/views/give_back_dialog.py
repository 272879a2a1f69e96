"""A manager records deposit money given back outside Stripe: the amount (at most what the
venue holds of the booking's money), how (cash, the card machine, a bank transfer) and why,
with the sentence that will be recorded shown before anything is. A refusal keeps the
dialog open with why."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.domain.deposit_ledger import PaymentMethod
from app.domain.deposits import format_pence
from app.services.give_back import GiveBackOffer
from app.views.commands import Commands
from app.views.deposit_money import AmountDialog


class GiveBackDialog(AmountDialog):
    def __init__(
        self, offer: GiveBackOffer, commands: Commands, parent: QWidget | None = None
    ) -> None:
        limit = (
            f"Money given back outside Stripe, at most {format_pence(offer.most_pence)}: "
            "what the venue holds of this booking's deposit. A refund through Stripe is "
            "Refund deposit…"
        )
        title = f"Money given back to {offer.guest}"
        super().__init__(title, limit, "Record", offer.suggested_pence, parent)
        self.offer, self.commands = offer, commands
        self.method = QComboBox()
        for method in PaymentMethod:
            self.method.addItem(method.words.capitalize(), method)
        self.reason = QLineEdit(placeholderText="why, e.g. refund sent back: bank transfer")
        self.reason.setMaxLength(200)
        self.method.currentIndexChanged.connect(self.reword)
        self.form.addRow("Given back by", self.method)
        self.form.addRow("Reason", self.reason)
        self.reword()

    def _picked(self) -> PaymentMethod:
        return PaymentMethod(self.method.currentData())

    def ask(self, pence: int) -> str:
        return self.offer.question(pence, self._picked())

    def send_pence(self, pence: int) -> None:
        self.commands.give_back(
            self.offer.booking_id,
            pence,
            self._picked(),
            self.reason.text(),
            lambda _r: self.accept(),
            self.refused,
        )
