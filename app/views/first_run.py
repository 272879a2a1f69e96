"""A new desk's first run: three choices, then the pages of the one chosen.

"Try the demo" is the only way the demo venue, its night and its PINs reach a
desk; "Set up my venue" and "Connect to my venue's server" never bring any.
Closing the window without finishing leaves the file as new, so the next start
asks again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.services.first_run import FirstRun
from app.views.connect_form import ConnectForm
from app.views.first_run_venue import VenuePage

CHOICE_STYLE = "QPushButton { text-align: left; padding: 14px; font-size: 14px; }"


def first_run_done(first: FirstRun, db_path: Path, *, demo: bool = False) -> bool:
    """True when the desk has its venue (now or already); ``demo`` skips the asking."""
    if not first.needed():
        return True
    if demo:
        # ./scripts/desk: the demo to look around, past nights included for the review.
        first.try_demo(history=True)
        return True
    return bool(FirstRunDialog(first, db_path).exec())


class FirstRunDialog(QDialog):
    def __init__(self, first: FirstRun, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = first
        self.setWindowTitle("Welcome to Backroom")
        self.setMinimumWidth(560)
        self.pages = QStackedWidget()
        self.choose = self._choices()
        self.venue = VenuePage(first)
        self.connect_form = ConnectForm(first, db_path)
        for page in (self.choose, self.venue, self.connect_form):
            self.pages.addWidget(page)
        self.venue.back.clicked.connect(self.show_choices)
        self.connect_form.back.clicked.connect(self.show_choices)
        self.venue.done.connect(self.accept)
        self.connect_form.done.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.pages.currentChanged.connect(self._fit)
        self._fit(0)

    def _choices(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel("<h2>Welcome to Backroom</h2><p>This desk is new. What is it for?</p>")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        self.try_demo_button = self._choice(
            "Try the demo",
            "The Backroom, Leeds: 16 tables, three staff with demo PINs and a busy night.",
        )
        self.set_up_button = self._choice(
            "Set up my venue",
            "Its name, opening hours, floor plan and the first admin — no demo data.",
        )
        self.connect_button = self._choice(
            "Connect to my venue's server",
            "The venue, floor plan, staff and bookings come from the server.",
        )
        for button in (self.try_demo_button, self.set_up_button, self.connect_button):
            layout.addWidget(button)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.try_demo_button.clicked.connect(self.try_demo)
        self.set_up_button.clicked.connect(lambda: self.pages.setCurrentWidget(self.venue))
        self.connect_button.clicked.connect(lambda: self.pages.setCurrentWidget(self.connect_form))
        return page

    def _choice(self, title: str, words: str) -> QPushButton:
        button = QPushButton(f"{title}\n{words}")
        button.setAccessibleName(title)
        button.setStyleSheet(CHOICE_STYLE)
        button.setMinimumHeight(64)
        return button

    def done(self, result: int) -> None:
        """QDialog::done: a connection under way finishes first (it cannot be half-made)."""
        if self.connect_form.working:
            return
        super().done(result)

    def _fit(self, index: int) -> None:
        """The dialog takes the size of the page shown, not of the largest page."""
        for i in range(self.pages.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.adjustSize()

    def show_choices(self) -> None:
        self.pages.setCurrentWidget(self.choose)

    def try_demo(self) -> None:
        try:
            self.first.try_demo(history=True)
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
