"""The messages badge: failed guest messages of today's service day and guest replies for
staff nobody at this desk has read; a click lists them, and a line opens its booking."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.venue import Venue
from app.services.guest_messages import Attention

LOOK = (
    "QLabel { background:#fde3e0; color:#a01f16; border:1px solid #e59a93; "
    "border-radius: 9px; padding: 2px 10px; font-weight: 600; }"
)
COLUMNS = ("When", "Booking", "Guest", "What")
ID = Qt.ItemDataRole.UserRole


class MessagesBadge(QLabel):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attention = Attention([], [])
        self.setAccessibleName("Guest messages needing staff")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(LOOK)
        self.show_attention(self.attention)

    def show_attention(self, attention: Attention) -> None:
        self.attention = attention
        self.setText(words(attention))
        self.setToolTip(
            "Guest messages that failed today, and guest replies nobody here has read. "
            "Click to list them."
        )
        self.setVisible(attention.count > 0)

    def mousePressEvent(self, event: object) -> None:
        """QWidget::mousePressEvent: a click opens the list."""
        self.clicked.emit()


def words(attention: Attention) -> str:
    parts = []
    if attention.failed:
        parts.append(f"{len(attention.failed)} failed")
    if attention.unread:
        n = len(attention.unread)
        parts.append(f"{n} new repl{'ies' if n != 1 else 'y'}")
    return "✉ " + " · ".join(parts) if parts else "✉"


class AttentionDialog(QDialog):
    """What the badge counts, newest first; double-click opens the booking's messages."""

    def __init__(
        self,
        attention: Attention,
        venue: Venue,
        open_booking: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guest messages needing staff")
        self.open_booking = open_booking
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(words(attention).removeprefix("✉ ") or "Nothing needs staff."))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        for line in sorted(attention.failed + attention.unread, key=lambda n: n.at, reverse=True):
            item = QTreeWidgetItem(
                [venue.show_day_time(line.at), line.reference, line.guest, line.what]
            )
            item.setData(0, ID, line.booking_id)
            self.tree.addTopLevelItem(item)
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        self.tree.itemActivated.connect(self._open)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def _open(self, item: QTreeWidgetItem) -> None:
        booking_id = item.data(0, ID)
        if booking_id:
            self.open_booking(booking_id)

    def rows(self) -> list[list[str]]:
        return [
            [self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
            for i in range(self.tree.topLevelItemCount())
        ]
