"""First run, "Set up my venue": name, opening hours per weekday, plan, first admin.

The page only gathers what is typed; every rule is app.domain.venue_setup's,
reached through ``FirstRun.set_up_venue``, whose refusal is shown here and
writes nothing.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.venue import OpeningHours
from app.domain.venue_setup import WEEKDAYS
from app.services.first_run import EXAMPLE_PLAN, FirstAdmin, FirstRun

# A bar's usual week, to change rather than type: late on Friday and Saturday.
DEFAULT_HOURS = {
    day: (QTime(17, 0), QTime(2, 0) if day in (4, 5) else QTime(0, 0)) for day in range(7)
}


class VenuePage(QWidget):
    done = Signal()

    def __init__(self, first: FirstRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = first
        self.name = QLineEdit(placeholderText="e.g. The Snug, Leeds")
        self.name.setAccessibleName("Venue name")
        self.open_on: dict[int, QCheckBox] = {}
        self.opens: dict[int, QTimeEdit] = {}
        self.closes: dict[int, QTimeEdit] = {}
        self.plan_file = QLineEdit(placeholderText="a plan file like backroom.json")
        self.username = QLineEdit(placeholderText="e.g. owner")
        self.username.setAccessibleName("Admin username")
        self.staff_name = QLineEdit(placeholderText="e.g. Sam Reid")
        self.pin = QLineEdit(placeholderText="4-8 digits")
        self.again = QLineEdit()
        for pin in (self.pin, self.again):
            pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.back = QPushButton("Back")
        self.set_up = QPushButton("Set up my venue")
        self.set_up.setDefault(True)
        self.set_up.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h3>Set up my venue</h3>"))
        form = QFormLayout()
        form.addRow("Venue name", self.name)
        layout.addLayout(form)
        layout.addWidget(self._hours_box())
        layout.addWidget(self._plan_box())
        layout.addWidget(self._admin_box())
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.set_up)
        layout.addLayout(buttons)

    def _hours_box(self) -> QGroupBox:
        box = QGroupBox("Opening hours")
        grid = QGridLayout(box)
        for column, heading in enumerate(("", "Opens", "Closes")):
            grid.addWidget(QLabel(heading), 0, column)
        for day, name in enumerate(WEEKDAYS):
            opens, closes = DEFAULT_HOURS[day]
            self.open_on[day] = QCheckBox(name, checked=True)
            self.opens[day] = QTimeEdit(opens, displayFormat="HH:mm")
            self.closes[day] = QTimeEdit(closes, displayFormat="HH:mm")
            for edit in (self.opens[day], self.closes[day]):
                edit.setAccessibleName(f"{name} {'opens' if edit is self.opens[day] else 'closes'}")
            self.open_on[day].toggled.connect(self.opens[day].setEnabled)
            self.open_on[day].toggled.connect(self.closes[day].setEnabled)
            grid.addWidget(self.open_on[day], day + 1, 0)
            grid.addWidget(self.opens[day], day + 1, 1)
            grid.addWidget(self.closes[day], day + 1, 2)
        note = QLabel("A closing time before the opening time is after midnight (until 06:00).")
        note.setStyleSheet("color: #666; font-size: 11px;")
        grid.addWidget(note, 8, 0, 1, 3)
        return box

    def _plan_box(self) -> QGroupBox:
        box = QGroupBox("Floor plan")
        layout = QVBoxLayout(box)
        self.plan_example = QRadioButton("Start from the example plan (16 tables in four areas)")
        self.plan_from_file = QRadioButton("A plan file:")
        self.plan_empty = QRadioButton(
            "An empty room — draw the tables later (Floor → Edit floor plan)"
        )
        self.plan_example.setChecked(True)
        self.plan_group = QButtonGroup(box)
        for button in (self.plan_example, self.plan_from_file, self.plan_empty):
            self.plan_group.addButton(button)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_plan)
        row = QHBoxLayout()
        row.addWidget(self.plan_from_file)
        row.addWidget(self.plan_file, 1)
        row.addWidget(choose)
        layout.addWidget(self.plan_example)
        layout.addLayout(row)
        layout.addWidget(self.plan_empty)
        self.plan_file.textEdited.connect(lambda _: self.plan_from_file.setChecked(True))
        return box

    def _admin_box(self) -> QGroupBox:
        box = QGroupBox("The first admin (adds the other staff)")
        form = QFormLayout(box)
        form.addRow("Username", self.username)
        form.addRow("Name", self.staff_name)
        form.addRow("PIN", self.pin)
        form.addRow("PIN again", self.again)
        return box

    def _choose_plan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a plan file", "", "Plans (*.json)")
        if path:
            self.plan_file.setText(path)
            self.plan_from_file.setChecked(True)

    def hours(self) -> dict[int, OpeningHours]:
        return {
            day: OpeningHours(_time(self.opens[day].time()), _time(self.closes[day].time()))
            for day, box in self.open_on.items()
            if box.isChecked()
        }

    def plan(self) -> Path | None:
        if self.plan_example.isChecked():
            return EXAMPLE_PLAN
        if self.plan_from_file.isChecked():
            return Path(self.plan_file.text().strip())
        return None

    def submit(self) -> bool:
        admin = FirstAdmin(
            self.username.text(), self.staff_name.text(), self.pin.text(), self.again.text()
        )
        try:
            self.first.set_up_venue(self.name.text(), self.hours(), self.plan(), admin)
        except DomainError as error:
            self.error.setText(str(error))
            return False
        self.done.emit()
        return True


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())
