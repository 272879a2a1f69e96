"""Cancelling a booking asks first, and asks why: a slip of the mouse never cancels a party."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.booking import CANCEL_REASONS
from app.domain.venue import Venue
from app.services.queries import BookingView
from app.views.commands import Commands


class CancelDialog(QDialog):
    def __init__(
        self, view: BookingView, venue: Venue, commands: Commands, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.view, self.commands = view, commands
        b = view.booking
        self.setWindowTitle(f"Cancel {view.customer.name}'s booking?")
        question = QLabel(
            f"Cancel <b>{view.customer.name}</b>, party of {b.party_size}, "
            f"{venue.show_day_time(b.start)}{f' at table {view.tables}' if view.tables else ''}?"
            "<br>A party that did not come is a <i>No-show</i> instead."
        )
        question.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.addItems([r.capitalize() for r in CANCEL_REASONS])
        self.note = QLineEdit(placeholderText="optional, e.g. rebooked for Saturday")
        self.note.setMaxLength(120)
        buttons = QDialogButtonBox()
        self.cancel_button = buttons.addButton(
            "Cancel the booking", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.keep_button = buttons.addButton("Keep it", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.accept)
        self.keep_button.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Why", self.reason)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """QWidget::showEvent: Enter keeps the booking (the box picks its own default
        button as it is shown), so a slip of the keyboard never cancels a party."""
        super().showEvent(event)
        self.keep_button.setDefault(True)
        self.keep_button.setFocus()

    def words(self) -> str:
        reason = CANCEL_REASONS[self.reason.currentIndex()]
        note = self.note.text().strip()
        return f"{reason}: {note}" if note else reason

    def accept(self) -> None:
        """QDialog::accept: the cancellation goes only from here."""
        self.commands.cancel(self.view.booking.id, self.words())
        super().accept()
