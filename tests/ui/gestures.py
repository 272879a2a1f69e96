"""Real gestures: a drag on a graphics view's viewport (press, several moves, release),
and a name typed into Qt's own file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QGraphicsView, QLineEdit


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


def save_as(qtbot: object, dialog: QFileDialog, folder: Path, name: str) -> None:
    """Type a file name into Qt's own file dialog, in ``folder``, and press Return."""
    dialog.setDirectory(str(folder))
    field = dialog.findChild(QLineEdit, "fileNameEdit")
    field.clear()
    qtbot.keyClicks(field, name)  # type: ignore[attr-defined]
    qtbot.keyClick(field, Qt.Key.Key_Return)  # type: ignore[attr-defined]
