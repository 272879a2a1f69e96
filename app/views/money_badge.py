"""The money badge: deposits a manager has to see to, on any night; a click lists them, and
a line opens its night with the booking picked, where Claim deposit… and Refund deposit…
act on it."""

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

from app.domain.deposits import format_pence
from app.domain.venue import Venue
from app.services.money_due import MoneyLine

LOOK = (
    "QLabel { background:#fff1d6; color:#8a4b00; border:1px solid #e8b96a; "
    "border-radius: 9px; padding: 2px 10px; font-weight: 600; }"
)
COLUMNS = ("Night", "Booking", "Guest", "Amount", "To see to")
LINE = Qt.ItemDataRole.UserRole
HINT = (
    "Deposit money a manager has to see to, on any night: refunds the guest's bank sent "
    "back, claims and refunds Stripe refused, no-shows' deposits to claim before the card "
    "hold lapses, money to give back. Click to list them."
)


def words(lines: list[MoneyLine]) -> str:
    return f"£ {len(lines)} to see to" if lines else ""


class MoneyBadge(QLabel):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[MoneyLine] = []
        self.setAccessibleName("Deposit money to see to")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(LOOK)
        self.setToolTip(HINT)
        self.show_lines([])

    def show_lines(self, lines: list[MoneyLine]) -> None:
        self.lines = lines
        self.setText(words(lines))
        self.setVisible(bool(lines))

    def mousePressEvent(self, event: object) -> None:
        """QWidget::mousePressEvent: a click opens the list."""
        self.clicked.emit()


class MoneyDialog(QDialog):
    """What the badge counts, most pressing first; double-click (or Enter) opens the
    booking's night with the booking picked."""

    def __init__(
        self,
        lines: list[MoneyLine],
        venue: Venue,
        open_booking: Callable[[MoneyLine], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deposit money to see to")
        self.open_booking = open_booking
        layout = QVBoxLayout(self)
        said = (
            f"{words(lines)}. Double-click a line to open its booking."
            if lines
            else "Nothing to see to."
        )
        layout.addWidget(QLabel(said))
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        for line in lines:
            item = QTreeWidgetItem(
                [
                    venue.show_day_time(line.start),
                    line.reference,
                    line.guest,
                    format_pence(line.amount_pence),
                    line.what,
                ]
            )
            item.setToolTip(len(COLUMNS) - 1, line.what)
            item.setData(0, LINE, line)
            self.tree.addTopLevelItem(item)
        for column in range(len(COLUMNS) - 1):
            self.tree.resizeColumnToContents(column)
        self.tree.itemActivated.connect(self._open)
        layout.addWidget(self.tree)
        # The picked line's words whole: the column cuts long ones short.
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree.currentItemChanged.connect(self._show_detail)
        layout.addWidget(self.detail)
        if lines:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(960, 360)

    def _show_detail(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        line: MoneyLine | None = item.data(0, LINE) if item is not None else None
        self.detail.setText(
            f"{line.reference}, {line.guest}: {line.what}" if line is not None else ""
        )

    def _open(self, item: QTreeWidgetItem) -> None:
        self.open_booking(item.data(0, LINE))

    def rows(self) -> list[list[str]]:
        return [
            [self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
            for i in range(self.tree.topLevelItemCount())
        ]
