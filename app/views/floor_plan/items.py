"""A table on the floor plan, drawn to scale in its shape, coloured by its state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.domain.floorplan import Shape, Table
from app.services.queries import TableState
from app.views.palette import LOOKS

GRID = 10.0
NUMBER_FONT = QFont("DejaVu Sans", 13, QFont.Weight.Bold)
SMALL_FONT = QFont("DejaVu Sans", 7)
GLYPH_FONT = QFont("DejaVu Sans", 9, QFont.Weight.Bold)
TARGET_OK = QColor("#2e7d32")
TARGET_NO = QColor("#b3261e")


def snap(value: float) -> float:
    return round(value / GRID) * GRID


class TableItem(QGraphicsItem):
    """Positioned at the table's centre so rotation turns it in place."""

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table
        self.state = TableState.FREE
        self.party = 0
        self.seats = 0  # what the party's tables seat together (a joined pair: the pair)
        self.target: bool | None = None
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.place(table)

    @property
    def table_id(self) -> str:
        return self.table.id

    def place(self, table: Table) -> None:
        self.prepareGeometryChange()
        self.table = table
        self.setPos(table.x + table.width / 2, table.y + table.height / 2)
        self.setRotation(table.rotation)
        self.update()

    def put_back(self) -> None:
        """Exactly where its table stands (not snapped: the stored place may be off-grid)."""
        flag = QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        snapping = bool(self.flags() & flag)
        self.setFlag(flag, False)
        self.place(self.table)
        self.setFlag(flag, snapping)

    def top_left(self) -> tuple[float, float]:
        return self.pos().x() - self.table.width / 2, self.pos().y() - self.table.height / 2

    def set_state(self, state: TableState, party: int, tooltip: str, seats: int = 0) -> None:
        if (state, party, seats) != (self.state, self.party, self.seats):
            self.state, self.party, self.seats = state, party, seats
            self.update()
        self.setToolTip(tooltip)

    def set_target(self, target: bool | None) -> None:
        """Highlight as a drop target: True accepts, False refuses, None is not targeted."""
        if target is not self.target:
            self.target = target
            self.update()

    def set_editable(self, editable: bool) -> None:
        flag = QGraphicsItem.GraphicsItemFlag
        self.setFlag(flag.ItemIsMovable, editable)
        self.setFlag(flag.ItemIsSelectable, editable)
        self.setFlag(flag.ItemSendsGeometryChanges, editable)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        """QGraphicsItem::itemChange: snap a moving table's corner to the grid by
        returning the adjusted position."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            w, h = self.table.width / 2, self.table.height / 2
            return QPointF(snap(value.x() - w) + w, snap(value.y() - h) + h)
        return super().itemChange(change, value)

    def _rect(self) -> QRectF:
        w, h = self.table.width, self.table.height
        return QRectF(-w / 2, -h / 2, w, h)

    def boundingRect(self) -> QRectF:
        """QGraphicsItem::boundingRect: the shape plus room for the border and highlight."""
        return self._rect().adjusted(-6, -6, 6, 6)

    def shape(self) -> QPainterPath:
        """QGraphicsItem::shape: hits land on the table itself, round tables included."""
        path = QPainterPath()
        if self.table.shape is Shape.ROUND:
            path.addEllipse(self._rect())
        else:
            path.addRoundedRect(self._rect(), 6, 6)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """QGraphicsItem::paint: shape, state colour and cue, number and covers."""
        look = LOOKS[self.state]
        rect = self._rect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(look.border, 2.0, look.pen_style)
        if self.isSelected():
            pen = QPen(QColor("#222222"), 2.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(look.fill))
        painter.drawPath(self.shape())
        if self.table.shape is Shape.BOOTH:
            # The booth's back: a thick bar along its top edge.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(look.border)
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), rect.width(), 7), 3, 3)
        if self.table.vip:
            painter.setPen(QPen(QColor("#b8860b"), 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 5, 5)
        if self.target is not None:
            painter.setPen(QPen(TARGET_OK if self.target else TARGET_NO, 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-4, -4, 4, 4), 8, 8)
        self._paint_text(painter, rect, look.glyph, look.border)

    def _paint_text(self, painter: QPainter, rect: QRectF, glyph: str, colour: QColor) -> None:
        # Counter-rotate the words so a turned table stays readable.
        painter.save()
        painter.rotate(-self.rotation())
        painter.setPen(QColor("#1b1b1b"))
        painter.setFont(NUMBER_FONT)
        upper = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.62)
        painter.drawText(
            upper,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            str(self.table.number),
        )
        painter.setFont(SMALL_FONT)
        covers = f"{self.table.min_covers}–{self.table.max_covers}"
        if self.party:
            covers = f"{self.party} of {self.seats or self.table.max_covers}"
        lower = QRectF(
            rect.left(), rect.top() + rect.height() * 0.62, rect.width(), rect.height() * 0.38
        )
        painter.drawText(lower, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, covers)
        if glyph:
            painter.setFont(GLYPH_FONT)
            painter.setPen(colour)
            corner = QRectF(rect.right() - 16, rect.top() + 1, 15, 15)
            if self.table.shape is Shape.ROUND:
                corner.translate(2, -6)
            painter.drawText(corner, Qt.AlignmentFlag.AlignCenter, glyph)
        painter.restore()


class GhostItem(QGraphicsItem):
    """What follows the pointer while a booking or a table is dragged across the floor."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.setZValue(100)
        self.setOpacity(0.85)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        """QGraphicsItem::boundingRect: a small label card."""
        return QRectF(-50, -14, 100, 28)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """QGraphicsItem::paint: the card and its words."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#333333"), 1))
        painter.setBrush(QColor("#fffbe6"))
        painter.drawRoundedRect(self.boundingRect(), 6, 6)
        painter.setFont(SMALL_FONT)
        painter.drawText(self.boundingRect(), Qt.AlignmentFlag.AlignCenter, self.label)
