"""Desk → Bookings the server lost…: the bookings of tonight and later that only the copy a
repair kept holds (app.services.lost_bookings), each entered again on a word from staff.

The list is read on the worker that owns the desk's writes, and each booking entered
again is a write like any other (the window's views follow it); a refusal (its table
taken since, the server has it again) is said on its row and changes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Staff
from app.services.as_kept import AsKept
from app.services.lost_bookings import LostBookings, LostNight
from app.views.changes import Change
from app.views.workers import Operations

COLUMNS = ("Reference", "Guest", "When", "Party", "Seating", "In the copy", "Note")
NOTE = COLUMNS.index("Note")
CHANGED = ("Reference", "Guest", "When", "What differs")
DIFFERENT = (
    "Different in the copy: a change the server lost, or one made since at another desk. "
    "Check which is right and make it again here if it is the copy's."
)


class LostBookingsDialog(QDialog):
    def __init__(
        self, lost: LostBookings, as_kept: AsKept, staff: Staff, ops: Operations, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.lost = lost
        self.as_kept = as_kept
        self.changed_ids: list[str] = []
        self.staff = staff
        self.ops = ops
        self.ids: list[str] = []
        # Why a booking was not entered again, said on its row until it is.
        self.refusals: dict[str, str] = {}
        # What the last booking entered again did, said above the list read after it.
        self.last_said = ""
        self.setWindowTitle("Bookings the server lost")
        self.setMinimumSize(820, 360)
        self.said = QLabel("Reading the kept copy…")
        self.said.setWordWrap(True)
        self.said.setTextFormat(Qt.TextFormat.PlainText)
        self.table = _table(COLUMNS)
        self.different = QLabel(DIFFERENT)
        self.different.setWordWrap(True)
        self.changed = _table(CHANGED)
        self.make_as_kept = QPushButton("Make it as in the copy")
        self.make_as_kept.clicked.connect(self._make_as_kept)
        self.enter = QPushButton("Enter again")
        self.enter.clicked.connect(lambda: self.enter_again(self._chosen()))
        self.enter_all = QPushButton("Enter all again")
        self.enter_all.clicked.connect(lambda: self.enter_again(list(self.ids)))
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enter)
        buttons.addWidget(self.enter_all)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.said)
        layout.addWidget(self.table)
        layout.addWidget(self.different)
        layout.addWidget(self.changed)
        layout.addWidget(self.make_as_kept, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(buttons)
        self._busy(True)
        self.reload()

    def reload(self) -> None:
        self.ops.db.submit(self.lost.lost, self._show, self._cannot)

    def _show(self, night: LostNight) -> None:
        self.ids = [b.booking_id for b in night.bookings]
        self.table.setRowCount(len(night.bookings))
        for row, b in enumerate(night.bookings):
            cells = (b.reference, b.name, b.when, str(b.party_size), b.seating, b.status)
            for column, text in enumerate((*cells, b.caution)):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if b.booking_id in self.refusals:
                item = QTableWidgetItem(f"Not entered: {self.refusals[b.booking_id]}")
                item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, NOTE, item)
        self.table.resizeColumnsToContents()
        self.changed_ids = [c.booking_id for c in night.changed]
        self.changed.setRowCount(len(night.changed))
        for row, c in enumerate(night.changed):
            for column, text in enumerate((c.reference, c.name, c.when, "; ".join(c.differences))):
                self.changed.setItem(row, column, QTableWidgetItem(text))
        self.changed.resizeColumnsToContents()
        self.different.setVisible(bool(night.changed))
        self.changed.setVisible(bool(night.changed))
        self.make_as_kept.setVisible(bool(night.changed))
        if night.copy is None:
            state = (
                "No copy is kept beside this desk's file: the server has lost nothing this "
                "desk knows of."
            )
        elif not night.bookings:
            state = f"Everything of tonight and later in {night.copy} is on this desk."
        else:
            state = (
                f"{len(night.bookings)} booking(s) of tonight and later are only in the copy "
                f"kept at {night.copy}. Entering one again books it with the reference the guest "
                "was given, as any new booking: its table must still be free."
            )
        self.said.setText("\n".join(filter(None, (self.last_said, state))))
        self._busy(False)

    def _cannot(self, error: Exception) -> None:
        self.said.setText(str(error))
        self._busy(False)
        self.enter.setEnabled(False)
        self.enter_all.setEnabled(False)

    def _chosen(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.ids[r] for r in rows]

    def enter_again(self, ids: list[str]) -> None:
        if not ids:
            self.said.setText("Choose the bookings to enter again.")
            return
        self._busy(True)
        last = ids[-1]
        for booking_id in ids:
            self.ops.write(
                lambda b=booking_id: self.as_kept.enter_again(self.staff, b),
                Change.booking(),
                lambda said, b=booking_id: self._entered(b, said, b == last),
                lambda error, b=booking_id: self._refused(b, error, b == last),
            )

    def _entered(self, booking_id: str, said: str, last: bool) -> None:
        self.refusals.pop(booking_id, None)
        self.last_said = said
        if last:
            self.reload()

    def _refused(self, booking_id: str, error: Exception, last: bool) -> None:
        self.refusals[booking_id] = str(error)
        if last:
            self.reload()

    def _make_as_kept(self) -> None:
        rows = sorted({i.row() for i in self.changed.selectedIndexes()})
        if len(rows) != 1:
            self.said.setText("Choose one booking that differs, once you know the copy's is right.")
            return
        self._busy(True)
        booking_id = self.changed_ids[rows[0]]
        self.ops.write(
            lambda: self.as_kept.make_as_kept(self.staff, booking_id),
            Change.booking(),
            lambda said: self._made(said),
            lambda error: self._refused_as_kept(error),
        )

    def _refused_as_kept(self, error: Exception) -> None:
        # A step before the refused one may have been made: the window reads again.
        self.ops.changed.emit(Change.booking())
        self._made(f"Not made as in the copy: {error}")

    def _made(self, said: str) -> None:
        self.last_said = said
        self.reload()

    def _busy(self, busy: bool) -> None:
        self.enter.setEnabled(not busy)
        self.enter_all.setEnabled(not busy)
        self.make_as_kept.setEnabled(not busy)


def _table(columns: tuple[str, ...]) -> QTableWidget:
    """A read-only list, a row per booking, its last column taking the room left."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().hide()
    return table
