"""Opening guest messages from the window: a booking's dialog, and the badge's list."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services.guest_messages import GuestMessages
from app.views.changes import Change
from app.views.commands import Commands
from app.views.messages_badge import AttentionDialog, MessagesBadge
from app.views.messages_dialog import MessagesDialog
from app.views.state import DeskState


class MessageActions:
    def __init__(
        self,
        messages: GuestMessages,
        commands: Commands,
        state: DeskState,
        badge: MessagesBadge,
        parent: QWidget,
    ) -> None:
        self.messages, self.commands, self.state = messages, commands, state
        self.badge, self.parent = badge, parent
        self.dialog: MessagesDialog | None = None
        self.attention: AttentionDialog | None = None
        badge.clicked.connect(self.open_attention)
        self.refresh_badge()

    def open_booking(self, booking_id: str | None) -> MessagesDialog | None:
        if booking_id is None:
            self.commands.tell("Pick a booking in the list first.", ok=False)
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = MessagesDialog(
            booking_id, self.messages, self.commands, self.state, self.parent
        )
        self.dialog.show()
        return self.dialog

    def open_attention(self) -> AttentionDialog:
        self.attention = AttentionDialog(
            self.messages.attention(), self.state.venue, self.open_booking, self.parent
        )
        self.attention.show()
        return self.attention

    def on_changed(self, change: Change) -> None:
        """A pull or a write may have brought messages or replies, or marked some read."""
        if change & (Change.SYNC | Change.BOOKINGS):
            self.refresh_badge()
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.refresh()

    def refresh_badge(self) -> None:
        self.badge.show_attention(self.messages.attention())
