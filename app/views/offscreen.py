"""One Qt application for drawing without a window (the CLI's PDF, the self-test's floor
plan): always a QApplication, because whichever is made first serves every later use in
the process, and widgets (a QGraphicsScene) crash under a plain QGuiApplication."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication

_held: list[QApplication] = []  # held, or Python may free it while Qt still draws with it


def drawing_app() -> QApplication:
    """The process's QApplication, made off-screen if there is none yet."""
    running = QApplication.instance()
    if isinstance(running, QApplication):
        return running
    if running is not None:
        raise RuntimeError("A Qt application without widgets is already running.")
    # No window to show and maybe no display: drawing needs no screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _held.append(QApplication([]))
    return _held[0]
