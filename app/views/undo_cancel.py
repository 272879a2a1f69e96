"""After this desk cancels a booking: Undo, in the notice bar and as Booking → Undo cancel.

Offered for ``UNDO_CANCEL_MINUTES`` after the cancel (a QTimer), for the last
cancel made here. Whether the undo still applies is the use case's to say
(app/services/booking_undo.py: its clock, the booking, the tables); pressing
Undo after the window, or once the table was booked, is refused in words like
any other refusal, and the offer ends either way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.domain.limits import UNDO_CANCEL_MINUTES
from app.domain.permissions import Action
from app.services.common import BookingResult
from app.views.commands import Commands

SHORTCUT = QKeySequence("Ctrl+Z")


class UndoCancelOffer(QObject):
    def __init__(
        self,
        commands: Commands,
        notice: QLabel,
        show_notice: Callable[[str, bool], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.commands, self.notice, self.show_notice = commands, notice, show_notice
        self.booking_id: str | None = None
        self.text = ""
        self.button = QPushButton("Undo", parent)
        self.button.setToolTip(f"Put the booking back (for {UNDO_CANCEL_MINUTES} minutes)")
        self.button.hide()
        self.button.clicked.connect(self.undo)
        self.action = QAction("Undo cancel", parent)
        self.action.setShortcut(SHORTCUT)
        self.action.setData(Action.CANCEL)  # whoever may cancel may undo
        self.action.setEnabled(False)
        self.action.triggered.connect(self.undo)
        self.timer = QTimer(self, singleShot=True, interval=UNDO_CANCEL_MINUTES * 60_000)
        self.timer.timeout.connect(self.expire)
        commands.cancelled.append(self.offer)

    @property
    def offered(self) -> bool:
        return self.booking_id is not None

    def offer(self, result: BookingResult) -> None:
        """A cancel this desk just made: its words ("Cancelled Ada's booking (duplicate
        booking)." and any waitlist offer it made), with Undo beside them."""
        self.booking_id = result.booking.id
        self.text = result.message
        self.show_notice(self.text, True)
        self.button.show()
        self.action.setText(f"Undo cancel of {result.customer.name}")
        self.action.setEnabled(True)
        self.timer.start()

    def undo(self) -> None:
        booking_id = self.booking_id
        if booking_id is None:
            return
        # Settled either way: put back, or refused in words (too late, table taken).
        self._end()
        self.commands.undo_cancel(booking_id)

    def expire(self) -> None:
        if self.notice.isVisible() and self.notice.text().endswith(self.text):
            self.notice.hide()
        self._end()

    def notice_replaced(self, text: str) -> None:
        """Another notice took the bar: Undo stays in the Booking menu only."""
        if not text.endswith(self.text) or not self.offered:
            self.button.hide()

    def yield_shortcut(self, editing_floor: bool) -> None:
        """While the floor plan is edited, Ctrl+Z undoes the last floor edit."""
        self.action.setShortcut(QKeySequence() if editing_floor else SHORTCUT)

    def _end(self) -> None:
        self.booking_id = None
        self.timer.stop()
        self.button.hide()
        self.action.setEnabled(False)
        self.action.setText("Undo cancel")
