"""What the inbox's Retry, Amend and Discard buttons do (app/services/refusals.py).

Retry sends the change again at once. Discard asks first, with No as the default.
Amend opens a form: for a refused new booking, its party, time and tables, sent
again as amended; for a refused move, the usual move dialog, after which the
refusal is marked dealt with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QObject, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from app.services.queries import BookingView, Queries
from app.services.refusals import Amendment, RefusalView
from app.views.commands import Commands
from app.views.conflicts_inbox import ConflictsInbox
from app.views.move_dialog import MoveDialog
from app.views.state import DeskState


class RefusalActions(QObject):
    def __init__(
        self,
        inbox: ConflictsInbox,
        commands: Commands,
        queries: Queries,
        state: DeskState,
        parent: QWidget,
        refresh: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.commands, self.queries, self.state = commands, queries, state
        self.window, self.refresh = parent, refresh
        self.dialog: QDialog | QMessageBox | None = None
        inbox.retry_requested.connect(self.retry)
        inbox.amend_requested.connect(self.amend)
        inbox.discard_requested.connect(self.ask_discard)

    def _done(self, _result: object) -> None:
        self.refresh()

    def retry(self, device_seq: int) -> None:
        self.commands.retry_refusal(device_seq, self._done)

    def ask_discard(self, refusal: RefusalView) -> None:
        what = (
            "The booking leaves this desk; the server never had it."
            if refusal.creation
            else "Nothing is sent; the desk already shows the server's booking."
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard this change?",
            f"Discard this change? {refusal.what}.\n{what} This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda answer: self._discard(refusal, answer))
        self.dialog = box
        box.open()

    def _discard(self, refusal: RefusalView, answer: int) -> None:
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.commands.discard_refusal(refusal.device_seq, self._done)

    def amend(self, refusal: RefusalView) -> None:
        view = self.queries.booking(refusal.booking_id) if refusal.booking_id else None
        if view is None:
            return
        if refusal.creation:
            self.dialog = AmendDialog(
                refusal, view, self.queries, self.state, self._amended, self.window
            )
        else:
            self.commands.mark_refusal_amended(refusal.device_seq, self._done)
            self.dialog = MoveDialog(view, self.queries, self.commands, self.state, self.window)
        self.dialog.open()

    def _amended(self, device_seq: int, amendment: Amendment) -> None:
        self.commands.amend_refusal(device_seq, amendment, self._done)


class AmendDialog(QDialog):
    """A refused new booking's party, time and tables, to send again as changed."""

    def __init__(
        self,
        refusal: RefusalView,
        view: BookingView,
        queries: Queries,
        state: DeskState,
        send: Callable[[int, Amendment], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.refusal, self.state, self.send = refusal, state, send
        b = view.booking
        self.day = state.venue.service_day(b.start)
        self.setWindowTitle(f"Amend {view.customer.name}'s refused booking")
        self.party = QSpinBox()
        self.party.setRange(1, 99)
        self.party.setValue(b.party_size)
        local = state.venue.local(b.start)
        self.time = QTimeEdit(QTime(local.hour, local.minute))
        self.time.setDisplayFormat("HH:mm")
        self.tables = QComboBox()
        self.tables.addItem("As first asked", None)
        plan = queries.venue().plan
        for t in sorted(plan.active_tables(), key=lambda t: t.number):
            self.tables.addItem(f"{t.label} ({t.min_covers}–{t.max_covers})", (t.id,))
        for c in plan.combinations:
            self.tables.addItem(f"Tables {c.name}", tuple(sorted(c.table_ids)))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Send again")
        buttons.accepted.connect(self.send_again)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Why it was refused", _wrapped(refusal.reason))
        form.addRow("Party", self.party)
        form.addRow("Time", self.time)
        form.addRow("Table", self.tables)
        form.addRow(buttons)

    def amendment(self) -> Amendment:
        t = self.time.time()
        start = self.state.venue.wall_time_on(self.day, time(t.hour(), t.minute()))
        tables = self.tables.currentData()
        return Amendment(
            party_size=self.party.value(),
            start=start,
            table_ids=tuple(tables) if tables else None,
        )

    def send_again(self) -> None:
        self.send(self.refusal.device_seq, self.amendment())
        self.accept()


def _wrapped(text: str) -> QWidget:
    label = QLabel(text or "The server gave no reason.")
    label.setWordWrap(True)
    return label
