"""Pages shared by the dialogs that change what the whole desk is (connect, put right)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


def finished_page(title: str, said: QLabel, button: QPushButton) -> QWidget:
    """What was done, in ``said``, and the one button that goes on (the desk reopens)."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(QLabel(f"<h3>{title}</h3>"))
    column.addWidget(said)
    column.addStretch(1)
    column.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
    return page
