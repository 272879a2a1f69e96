"""Move a booking to other tables or another time, from the keyboard (the drag's twin)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QTimeEdit, QWidget

from app.services.queries import BookingView, Queries
from app.views.commands import Commands
from app.views.state import DeskState


class MoveDialog(QDialog):
    def __init__(
        self,
        view: BookingView,
        queries: Queries,
        commands: Commands,
        state: DeskState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view, self.commands, self.state = view, commands, state
        b = view.booking
        plan = queries.venue().plan
        self.setWindowTitle(f"Move {view.customer.name}, party of {b.party_size}")
        self.tables = QComboBox()
        choices: list[tuple[str, tuple[str, ...]]] = [
            (f"{t.label} ({t.min_covers}–{t.max_covers})", (t.id,))
            for t in sorted(plan.active_tables(), key=lambda t: t.number)
        ]
        choices += [
            (f"Tables {c.name} ({c.min_party}–{c.max_party})", tuple(sorted(c.table_ids)))
            for c in plan.combinations
        ]
        for text, ids in choices:
            self.tables.addItem(text, ids)
            if set(ids) == set(b.table_ids):
                self.tables.setCurrentIndex(self.tables.count() - 1)
        local = state.venue.local(b.start)
        self.time = QTimeEdit(QTime(local.hour, local.minute))
        self.time.setDisplayFormat("HH:mm")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Move")
        buttons.accepted.connect(self.move_booking)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Table", self.tables)
        form.addRow("Time", self.time)
        form.addRow(buttons)

    def move_booking(self) -> None:
        t = self.time.time()
        start = self.state.venue.wall_time_on(self.state.day, time(t.hour(), t.minute()))
        table_ids = tuple(self.tables.currentData())
        self.commands.move(self.view.booking.id, table_ids, start)
        self.accept()
