"""The top bar: which night, what time the floor shows, sync, and who is signed in."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from app.services.common import Clock
from app.views.messages_badge import MessagesBadge
from app.views.money_badge import MoneyBadge
from app.views.state import DeskState, present
from app.views.sync_badge import SyncBadge

STEP = timedelta(minutes=15)


class TopBar(QWidget):
    def __init__(self, state: DeskState, clock: Clock) -> None:
        super().__init__()
        self.state, self.clock = state, clock
        self.day = QDateEdit(calendarPopup=True)
        self.day.setDisplayFormat("dddd d MMMM yyyy")
        self.day.setAccessibleName("Service day")
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setAccessibleName("Show the floor at")
        self.scrubber.setMinimumWidth(260)
        self.scrubber.setPageStep(4)
        self.time_label = QLabel()
        # As wide as its widest words, so the slider does not jump when "(now)" comes and goes.
        words = self.time_label.fontMetrics().horizontalAdvance("Floor at 00:00 (now)")
        self.time_label.setMinimumWidth(words + 16)
        self.now_button = QPushButton("Now")
        self.now_button.setToolTip("Show the floor as it is now (Ctrl+0)")
        self.badge = SyncBadge(lambda at: state.venue.show_time(at))
        self.messages = MessagesBadge()
        self.money = MoneyBadge()
        self.who = QLabel()
        self.sign_out = QPushButton("Sign out")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Night of"))
        layout.addWidget(self.day)
        layout.addSpacing(12)
        layout.addWidget(self.time_label)
        layout.addWidget(self.scrubber, 1)
        layout.addWidget(self.now_button)
        layout.addSpacing(12)
        layout.addWidget(self.badge)
        layout.addWidget(self.messages)
        layout.addWidget(self.money)
        layout.addSpacing(12)
        layout.addWidget(self.who)
        layout.addWidget(self.sign_out)
        self.day.dateChanged.connect(self._day_picked)
        self.scrubber.valueChanged.connect(self._scrubbed)
        self.now_button.clicked.connect(self.show_now)
        state.day_changed.connect(lambda _: self._sync_from_state())
        state.time_changed.connect(lambda _: self._sync_from_state())
        state.staff_changed.connect(lambda _: self._show_staff())
        self._sync_from_state()
        self._show_staff()

    def _sync_from_state(self) -> None:
        d = self.state.day
        self.day.blockSignals(True)
        self.day.setDate(QDate(d.year, d.month, d.day))
        self.day.blockSignals(False)
        opens, closes = self.state.night_window()
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, int((closes - opens) / STEP))
        self.scrubber.setValue(int((self.state.at - opens) / STEP))
        self.scrubber.blockSignals(False)
        shown = self.state.venue.show_time(self.state.at)
        live = " (now)" if self.state.live else ""
        self.time_label.setText(f"Floor at <b>{shown}</b>{live}")

    def _day_picked(self, qdate: QDate) -> None:
        self.state.set_day(date(qdate.year(), qdate.month(), qdate.day()))

    def _scrubbed(self, value: int) -> None:
        self.state.set_time(self.state.night_window()[0] + value * STEP)

    def shift(self, slots: int) -> None:
        self.scrubber.setValue(self.scrubber.value() + slots)

    def show_now(self, *, moving_on: bool = False) -> None:
        """Show the floor at the present, and keep it there as time goes by (``moving_on``:
        the minute timer keeping it there, not staff pressing Now)."""
        day, at = present(self.state.venue, self.clock())
        self.state.set_day(day)
        self.state.set_time(at, live=True, moving_on=moving_on)

    def _show_staff(self) -> None:
        s = self.state.staff
        self.who.setText(f"<b>{s.name}</b> · {s.role.value}" if s else "Not signed in")
