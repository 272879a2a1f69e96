"""Real mouse gestures on a graphics view's viewport: press, several moves, release."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGraphicsView


def drag(view: QGraphicsView, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """Drag with the left button from one scene point to another."""
    viewport = view.viewport()
    a: QPoint = view.mapFromScene(start)
    b: QPoint = view.mapFromScene(end)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, steps + 1):
        p = a + (b - a) * (i / steps)
        QTest.mouseMove(viewport, p, 10)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b, 10)


def table_centre(window, number: int) -> QPointF:
    plan = window.floor.plan
    item = window.floor.scene.items_by_id[plan.table_by_number(number).id]
    return item.scenePos()
