"""Edit a booking and its guest in one dialog, with the form's live advice.

Save runs the time, the details and the guest in turn (app.services.booking_changes);
a refusal is shown beside its field, and a part refused after another was saved is
said plainly: the dialog stays open showing what was and was not saved.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.customer import display_phone
from app.domain.deposit_words import deposit_detail
from app.domain.deposits import format_pence
from app.domain.errors import InvalidFields, InvalidInput
from app.domain.limits import MAX_DURATION, MAX_PARTY, MIN_DURATION
from app.domain.packages import Sells
from app.domain.references import format_reference
from app.services.booking_changes import BookingChanges, EditOutcome
from app.services.edit_advice import EditAdvice, EditOptions
from app.services.queries import BookingView, Queries
from app.views.booking_form import OCCASIONS, error_label, picked_start, stacked
from app.views.commands import Commands
from app.views.consent_boxes import ConsentBoxes
from app.views.package_box import PackageBox, package_line
from app.views.state import DeskState
from app.views.time_edit import SlotTimeEdit

FIELDS = ("name", "phone", "email", "party_size", "package", "start", "duration", "details")
REFUSED_STYLE = "color: #8c1d15;"


class EditBookingDialog(QDialog):
    saved = Signal(object)

    def __init__(
        self,
        view: BookingView,
        queries: Queries,
        commands: Commands,
        state: DeskState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view, self.queries, self.commands, self.state = view, queries, commands, state
        self.venue = state.venue
        self.advice = EditAdvice(queries)
        self.options: EditOptions | None = None
        self._saving: BookingChanges | None = None
        b = view.booking
        self.setWindowTitle(f"Edit booking {format_reference(b.reference)} — {view.customer.name}")
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self.refresh_advice)
        self._build()
        self._fill()
        for signal in (
            self.party.valueChanged,
            self.day.dateChanged,
            self.time.timeChanged,
            self.duration.valueChanged,
            self.package.currentIndexChanged,
        ):
            signal.connect(lambda *_: self._timer.start())
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.refresh_advice()

    def _build(self) -> None:
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit(placeholderText="optional")
        self.party = QSpinBox(minimum=1, maximum=MAX_PARTY)
        self.package = PackageBox()
        self.day = QDateEdit(calendarPopup=True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.time = SlotTimeEdit()
        self.duration = QSpinBox(
            minimum=MIN_DURATION, maximum=MAX_DURATION, singleStep=15, suffix=" min"
        )
        self.occasion = QComboBox(editable=True)
        self.occasion.addItems(list(OCCASIONS))
        self.requests = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(54)
        self.errors = {f: error_label() for f in FIELDS}
        self.marketing = ConsentBoxes()
        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.day)
        row.addWidget(self.time)
        form = QFormLayout()
        for label, widget, field in (
            ("Name", self.name, "name"),
            ("Phone", self.phone, "phone"),
            ("Email", self.email, "email"),
            ("Party", self.party, "party_size"),
            ("Package", self.package, "package"),
            ("Date and time", when, "start"),
            ("Duration", self.duration, "duration"),
        ):
            form.addRow(label, stacked(widget, self.errors[field]))
            if field == "package":
                form.setRowVisible(form.rowCount() - 1, bool(self._listed().packages))
            if field == "email":
                form.addRow("Consent", self.marketing)
        form.addRow("Occasion", self.occasion)
        form.addRow("Requests", self.requests)
        form.addRow("Notes", self.notes)
        # Where the deposit stands now (paid, held until …, refunded …), apart from the
        # advice below on what a change of party or time would ask.
        self.deposit_now = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        form.addRow("Deposit", self.deposit_now)
        self.fits = QLabel(wordWrap=True)
        self.deposit = QLabel(wordWrap=True)
        advice = stacked(self.fits, self.deposit, self.errors["details"])
        advice.setObjectName("advice")
        advice.setStyleSheet(
            "#advice { background: #f3f6fb; border: 1px solid #d5deec; border-radius: 6px; }"
        )
        self.status = QLabel(wordWrap=True)
        self.close_button = QPushButton("Close")
        self.save_button = QPushButton("Save changes")
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(advice)
        layout.addLayout(buttons)
        self.setMinimumWidth(500)

    def _fill(self) -> None:
        b, c = self.view.booking, self.view.customer
        self.name.setText(c.name)
        self.phone.setText(display_phone(c.phone) if c.phone else "")
        self.email.setText(c.email or "")
        self.marketing.show_answers(c.consent)
        self.party.setValue(b.party_size)
        self.package.show_for(self._listed(), b.party_size, b.package_id or "")
        local = self.venue.local(b.start)
        self.day.setDate(QDate(local.year, local.month, local.day))
        self.time.setTime(QTime(local.hour, local.minute))
        self.duration.setValue(b.duration_minutes)
        self.occasion.setCurrentText(b.occasion)
        self.requests.setText(b.special_requests)
        self.notes.setPlainText(b.notes)
        v = self.view
        detail = deposit_detail(self.venue, b, v.link, v.action, v.ledger, v.read_at)
        self.deposit_now.setText(detail)
        # What was shown, so only what staff changed is saved.
        self._shown = self._values()

    def _values(self) -> dict[str, object]:
        return {
            "name": self.name.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
            "party_size": self.party.value(),
            "package_id": self.package.chosen() or "",
            "start": self.start(),
            "duration_minutes": self.duration.value(),
            "occasion": self.occasion.currentText(),
            "special_requests": self.requests.text(),
            "notes": self.notes.toPlainText(),
        }

    def start(self) -> datetime:
        return picked_start(self.venue, self.day, self.time)

    def _listed(self) -> Sells:
        return self.queries.venue().deposits

    def changes(self) -> BookingChanges:
        now = self._values()
        changed = {k: v for k, v in now.items() if v != self._shown[k]}
        if self.marketing.changed():
            changed["marketing"] = self.marketing.wanted()
        return BookingChanges(self.view.booking.id, self.view.customer.id, **changed)  # type: ignore[arg-type]

    def refresh_advice(self) -> None:
        o = self.advice.options(
            self.view.booking.id, self.party.value(), self.start(), self.duration.value()
        )
        self.options = o
        self.package.show_for(self._listed(), self.party.value())
        if o.problem:
            self.fits.setText(f"<b>Will be refused:</b> {o.problem}")
            if o.others:
                plan = self.queries.venue().plan
                free = ", ".join(plan.numbers(s.table_ids) for s in o.others[:8])
                self.fits.setText(
                    self.fits.text() + f" Free then for {o.party_size}: {free} (use Move…)."
                )
            self.fits.setStyleSheet(REFUSED_STYLE)
        elif o.tables is None:
            self.fits.setText("No table is held: the booking keeps its place on the waitlist.")
            self.fits.setStyleSheet("")
        else:
            joined = "+" in o.tables
            label, seat = ("Tables", "seat") if joined else ("Table", "seats")
            self.fits.setText(f"<b>Fits:</b> {label} {o.tables} still {seat} them then.")
            self.fits.setStyleSheet("")
        sold = package_line(
            self._listed(), self.package.chosen(), self.party.value(), self.view.booking
        )
        self.deposit.setText("<br>".join(w for w in (_deposit_words(o), sold) if w))
        self.deposit.setVisible(bool(self.deposit.text()))

    def save(self) -> None:
        self.show_errors({})
        changes = self.changes()
        self.save_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText("Saving…")
        self._saving = changes
        self.commands.edit_booking(changes, self._saved, self._failed)

    def _saved(self, outcome: EditOutcome) -> None:
        self.saved.emit(outcome)
        if outcome.refused is None:
            self.status.setText(outcome.message)
            self.accept()
            return
        # Part saved, part not: stay open on the booking as it now is, saying which.
        view = self.queries.booking(self.view.booking.id)
        if view is not None:
            self.view = view
            self._fill()
        self.save_button.setEnabled(True)
        self.status.setStyleSheet(REFUSED_STYLE)
        self.status.setText(outcome.message)
        self.refresh_advice()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidFields):
            self.show_errors(error.errors)
        elif isinstance(error, InvalidInput):
            self.show_errors({error.field: str(error)})
        elif self._saving is not None and self._saving.time:
            # The time runs first: a refusal with nothing saved is the time's.
            self.show_errors({"start": str(error)})
        self.status.setStyleSheet(REFUSED_STYLE)
        self.status.setText(f"Nothing was saved: {error}")

    def show_errors(self, errors: dict[str, str]) -> None:
        placed = {"duration_minutes": "duration", "tables": "party_size"}
        errors = {placed.get(k, k): v for k, v in errors.items()}
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(bool(errors.get(name)))
        unplaced = {k: v for k, v in errors.items() if k not in self.errors}
        if unplaced:
            self.errors["details"].setText(" ".join(unplaced.values()))
            self.errors["details"].show()


def _deposit_words(o: EditOptions) -> str:
    before, after = o.deposit_before, o.deposit_after
    if before == after:
        # Nothing asked before or after: the Deposit row above says so already.
        return f"Deposit unchanged: {format_pence(after)}." if after else ""
    if not after:
        return f"The deposit of {format_pence(before)} is no longer asked."
    if not before:
        return f"A deposit of <b>{format_pence(after)}</b> will be asked; it is held until paid."
    return f"The deposit changes from {format_pence(before)} to <b>{format_pence(after)}</b>."
