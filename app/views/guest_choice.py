"""Whose booking it is, asked when the phone typed is a known guest's under another name."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.text import shown
from app.services.booking_create import SamePhoneOtherName


class GuestChoiceBox(QWidget):
    """The question with one button per known guest and one for a new guest."""

    known_chosen = Signal(object)  # the Customer staff chose
    new_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.question.setStyleSheet("color: #8a6200;")
        self._buttons = QHBoxLayout()
        self._buttons.setContentsMargins(0, 0, 0, 0)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.question)
        column.addLayout(self._buttons)
        self.hide()

    def ask(self, asked: SamePhoneOtherName) -> None:
        self.clear()
        self.question.setText(str(asked))
        for guest in asked.guests:
            self._add(f"Book for {shown(guest.name)}", lambda g=guest: self.known_chosen.emit(g))
        self._add(f"New guest {shown(asked.typed)}", self.new_chosen.emit)
        self._buttons.addStretch(1)
        self.show()

    def buttons(self) -> list[QPushButton]:
        found = (self._buttons.itemAt(i).widget() for i in range(self._buttons.count()))
        return [w for w in found if isinstance(w, QPushButton)]

    def clear(self) -> None:
        self.hide()
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def _add(self, text: str, chosen: Callable[[], None]) -> None:
        button = QPushButton(text)
        button.clicked.connect(lambda _=False: chosen())
        self._buttons.addWidget(button)
