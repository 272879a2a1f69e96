"""A layout that lines its widgets up in rows and wraps them when the width runs out.

Qt has none of its own (its documentation has one as an example); the floor's legend
uses it, so that on a laptop's screen the legend takes two rows instead of holding
the whole window wider than the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 10) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        """QLayout::addItem."""
        self._items.append(item)

    def count(self) -> int:
        """QLayout::count."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        """QLayout::itemAt."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        """QLayout::takeAt."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        """QLayout::expandingDirections: it grows in neither; it wraps."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        """QLayout::hasHeightForWidth: the rows it needs depend on the width it has."""
        return True

    def heightForWidth(self, width: int) -> int:
        """QLayout::heightForWidth."""
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        """QLayout::setGeometry."""
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        """QLayout::sizeHint: everything in one row."""
        width = sum(i.sizeHint().width() for i in self._items)
        width += self._gap * max(len(self._items) - 1, 0)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width, height) + _extra(self.contentsMargins())

    def minimumSize(self) -> QSize:
        """QLayout::minimumSize: as narrow as its widest item."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size + _extra(self.contentsMargins())

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Lay the items out in ``rect`` (when ``place``); the height they take."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, row = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, row = area.x(), y + row + self._gap // 2, 0
            if place:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row = max(row, hint.height())
        return y + row - rect.y() + margins.bottom()


def _extra(margins: QMargins) -> QSize:
    return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())
