"""The floor plan drawn into a PNG without a window: the self-test's proof that Qt works."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from app.services.queries import Queries
from app.views.floor_plan.scene import FloorScene
from app.views.offscreen import drawing_app


def render_floor_plan(queries: Queries, path: Path, width: int = 800) -> int:
    """Draw the venue's tables into ``path`` and return how many were drawn."""
    drawing_app()
    scene = FloorScene()
    scene.set_plan(queries.venue().plan)
    rect = scene.sceneRect()
    image = QImage(
        width, max(1, round(width * rect.height() / rect.width())), QImage.Format.Format_ARGB32
    )
    image.fill(QColor("#fafaf7"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, image.rect().toRectF(), rect, Qt.AspectRatioMode.KeepAspectRatio)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"Qt could not write a PNG to {path}")
    return len(scene.items_by_id)
