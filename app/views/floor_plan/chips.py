"""Small widgets around the floor: the draggable walk-in chip and the colour legend."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QDrag, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from app.views import mime
from app.views.flow_layout import FlowLayout
from app.views.palette import LOOKS


class WalkInChip(QFrame):
    """Drag it onto a table to seat a party that walked in; the spin box sets its size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkInChip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip("Drag onto a table to seat a walk-in of this size")
        self.label = QLabel("⠿ Walk-in, party of")
        self.party = QSpinBox()
        self.party.setRange(1, 20)
        self.party.setValue(2)
        self.party.setAccessibleName("Walk-in party size")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.addWidget(self.label)
        layout.addWidget(self.party)
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """QWidget::mousePressEvent: a drag may start here."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """QWidget::mouseMoveEvent: past the drag distance, start a walk-in drag."""
        if self._press is None:
            return
        if (
            event.position().toPoint() - self._press
        ).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(mime.walk_in_mime(self.party.value()))
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """QWidget::mouseReleaseEvent: no drag happened."""
        self._press = None


class Legend(QWidget):
    """Each table state's colour and cue with its words, in rows that wrap when narrow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = FlowLayout(self)
        for look in LOOKS.values():
            key = QWidget()
            pair = QHBoxLayout(key)
            pair.setContentsMargins(0, 0, 0, 0)
            pair.setSpacing(4)
            swatch = QLabel()
            swatch.setPixmap(_swatch(look.fill, look.border, look.glyph))
            words = QLabel(look.words)
            words.setStyleSheet("color: #555; font-size: 11px;")
            pair.addWidget(swatch)
            pair.addWidget(words)
            layout.addWidget(key)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)


def _swatch(fill: QColor, border: QColor, glyph: str) -> QPixmap:
    pixmap = QPixmap(18, 18)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(border)
    painter.setBrush(fill)
    painter.drawRoundedRect(1, 1, 16, 16, 3, 3)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return pixmap
