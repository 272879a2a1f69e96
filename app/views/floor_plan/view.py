"""The view onto the floor scene: scales the venue to fit, keeps the drawing crisp."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.views.floor_plan.items import GRID
from app.views.floor_plan.scene import FloorScene


class FloorView(QGraphicsView):
    def __init__(self, scene: FloorScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor("#fafaf7"))
        self.setMinimumSize(420, 260)

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """QWidget::resizeEvent: keep the whole venue in view."""
        super().resizeEvent(event)
        self.fit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """QGraphicsView::drawBackground: a faint grid in edit mode, where tables snap."""
        super().drawBackground(painter, rect)
        scene = self.scene()
        if not isinstance(scene, FloorScene) or not scene.edit_mode:
            return
        painter.setPen(QColor("#e3e3dc"))
        step = GRID * 2
        x = rect.left() - rect.left() % step
        while x < rect.right():
            painter.drawLine(int(x), int(rect.top()), int(x), int(rect.bottom()))
            x += step
        y = rect.top() - rect.top() % step
        while y < rect.bottom():
            painter.drawLine(int(rect.left()), int(y), int(rect.right()), int(y))
            y += step
