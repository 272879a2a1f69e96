"""A booking's guest messages: what the server sent, how it went, what the guest replied;
send a failed one again, or text the guest.

What can go as one SMS is the domain's rule (app.domain.messages.staff), checked here as
the staff type and again by the server's judge.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.messages.gsm import SMS_SEPTETS, not_gsm, septets
from app.domain.messages.staff import check_custom_sms
from app.domain.permissions import Action
from app.services.guest_messages import BookingMessages, GuestMessages
from app.views.commands import Commands
from app.views.state import DeskState

MESSAGE_COLUMNS = ("When", "Channel", "Message", "To", "Status", "Problem")
REPLY_COLUMNS = ("When", "From", "Reply", "What it did")
FAILED = QColor("#a01f16")
ID = Qt.ItemDataRole.UserRole


class MessagesDialog(QDialog):
    def __init__(
        self,
        booking_id: str,
        messages: GuestMessages,
        commands: Commands,
        state: DeskState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.booking_id, self.service = booking_id, messages
        self.commands, self.state = commands, state
        self.shown: BookingMessages | None = None
        self._build()
        self.refresh()
        # Opening the booking's messages is reading its replies.
        self.commands.mark_messages_seen(booking_id)

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.sent = QTreeWidget()
        self.sent.setColumnCount(len(MESSAGE_COLUMNS))
        self.sent.setHeaderLabels(list(MESSAGE_COLUMNS))
        self.sent.setRootIsDecorated(False)
        self.sent.setAccessibleName("Messages sent")
        self.sent.itemSelectionChanged.connect(self._update_buttons)
        self.replies = QTreeWidget()
        self.replies.setColumnCount(len(REPLY_COLUMNS))
        self.replies.setHeaderLabels(list(REPLY_COLUMNS))
        self.replies.setRootIsDecorated(False)
        self.replies.setWordWrap(True)
        self.replies.setAccessibleName("Replies")
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.resend_button = QPushButton("Send again")
        self.resend_button.setToolTip("Send the selected failed message again")
        self.resend_button.clicked.connect(self.resend_selected)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Text the guest (one SMS: 160 characters, plain letters)")
        self.text.setAccessibleName("Text to the guest")
        self.text.setFixedHeight(70)
        self.text.textChanged.connect(self._count)
        self.counter = QLabel()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a01f16;")
        self.problem.setWordWrap(True)
        self.send_button = QPushButton("Send text")
        self.send_button.clicked.connect(self.send_text)
        sending = QHBoxLayout()
        sending.addWidget(self.counter, 1)
        sending.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.sent, 2)
        layout.addWidget(self.resend_button)
        layout.addWidget(QLabel("Replies from the guest"))
        layout.addWidget(self.replies, 1)
        layout.addWidget(self.waiting)
        layout.addWidget(self.text)
        layout.addLayout(sending)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 520)
        self._count()

    def refresh(self, _changed: Any = None) -> None:
        """Shows the booking's messages as this desk has them now."""
        try:
            shown = self.service.of_booking(self.booking_id)
        except DomainError as gone:
            self.heading.setText(str(gone))
            return
        self.shown = shown
        venue = self.state.venue
        self.setWindowTitle(f"Messages for booking {shown.reference}")
        to = f" · texts go to {shown.phone}" if shown.phone else " · no phone number to text"
        self.heading.setText(f"{shown.guest}, booking {shown.reference}{to}")
        self.sent.clear()
        for m in shown.messages:
            item = QTreeWidgetItem(
                [venue.show_day_time(m.at), m.channel, m.what, m.to, m.status, m.error or ""]
            )
            item.setData(0, ID, m.id)
            if m.failed:
                for column in range(len(MESSAGE_COLUMNS)):
                    item.setForeground(column, QBrush(FAILED))
            self.sent.addTopLevelItem(item)
        self.replies.clear()
        for r in shown.replies:
            did = r.did if not r.for_staff else f"{r.did} ({r.why})"
            self.replies.addTopLevelItem(
                QTreeWidgetItem([venue.show_day_time(r.at), r.sender, r.text, did])
            )
        for tree in (self.sent, self.replies):
            for column in range(tree.columnCount()):
                tree.resizeColumnToContents(column)
        lines = [f"{w.what}: {w.text}" if w.text else w.what for w in shown.waiting]
        self.waiting.setText(
            "Waiting to reach the server: " + "; ".join(lines) if lines else "",
        )
        self.waiting.setVisible(bool(lines))
        self._update_buttons()

    def _selected(self) -> str | None:
        items = self.sent.selectedItems()
        return items[0].data(0, ID) if items else None

    def _update_buttons(self) -> None:
        picked = self._selected()
        line = (
            next((m for m in self.shown.messages if m.id == picked), None) if self.shown else None
        )
        self.resend_button.setVisible(self.state.may(Action.RESEND_MESSAGE))
        self.resend_button.setEnabled(line is not None and line.may_resend)
        texting = self.state.may(Action.TEXT_GUEST) and bool(self.shown and self.shown.phone)
        self.text.setEnabled(texting)
        self.send_button.setEnabled(texting)

    def _count(self) -> None:
        body = self.text.toPlainText().strip()
        if not_gsm(body):
            self.counter.setText("Not a plain-text SMS character: " + " ".join(not_gsm(body)[:5]))
            return
        self.counter.setText(f"{septets(body)}/{SMS_SEPTETS}")

    def send_text(self) -> None:
        """Checks the words as one SMS, then asks the server to send them (queued offline)."""
        try:
            body = check_custom_sms(self.text.toPlainText())
        except DomainError as refused:
            self.problem.setText(str(refused))
            return
        self.problem.setText("")
        self.send_button.setEnabled(False)
        self.commands.send_sms(self.booking_id, body, done=self._sent, failed=self._not_sent)

    def _sent(self, _result: object) -> None:
        self.text.clear()
        self.refresh()

    def _not_sent(self, error: Exception) -> None:
        self.problem.setText(str(error))
        self._update_buttons()

    def resend_selected(self) -> None:
        picked = self._selected()
        if picked is not None:
            self.resend_button.setEnabled(False)
            self.commands.resend_message(picked, done=lambda _result: self.refresh())

    def rows(self) -> list[list[str]]:
        """What the messages list shows, row by row (for tests and screen readers alike)."""
        return _rows(self.sent)

    def reply_rows(self) -> list[list[str]]:
        return _rows(self.replies)


def _rows(tree: QTreeWidget) -> list[list[str]]:
    return [
        [tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
        for i in range(tree.topLevelItemCount())
    ]
