"""The booking form that thinks: as party and time change it shows what saving would do."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

from PySide6.QtCore import QDate, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.customer import Customer, display_phone
from app.domain.deposits import format_pence
from app.domain.errors import InvalidFields, InvalidInput
from app.domain.limits import MAX_DURATION, MAX_PARTY
from app.domain.packages import Sells
from app.domain.permissions import Action
from app.domain.venue import Venue
from app.services.advice import BookingAdvice, BookingOptions
from app.services.booking_create import GuestChoice, NewBooking, SamePhoneOtherName
from app.services.common import BookingResult
from app.services.form_hold import FormHold, HoldNews
from app.services.queries import Queries
from app.views.commands import Commands
from app.views.consent_boxes import ConsentBoxes
from app.views.guest_choice import GuestChoiceBox
from app.views.package_box import PackageBox, package_line
from app.views.state import DeskState
from app.views.time_edit import SLOT_MINUTES, SlotTimeEdit

OCCASIONS = ("", "Birthday", "Anniversary", "Engagement", "Leaving do", "Work do", "Date night")
FIELDS = ("name", "phone", "email", "party_size", "package", "start", "duration", "tables")
ERROR_STYLE = "color: #b3261e; font-size: 11px;"


# A form left alone this long lets its hold go; touching it takes the hold again.
IDLE_RELEASE_MS = 5 * 60_000

Wanted = tuple[tuple[str, ...], datetime, datetime]


class BookingForm(QDialog):
    saved = Signal(object)

    def __init__(
        self,
        queries: Queries,
        commands: Commands,
        state: DeskState,
        parent: QWidget | None = None,
        hold: FormHold | None = None,
    ) -> None:
        super().__init__(parent)
        self.queries, self.commands, self.state = queries, commands, state
        # The server hold on the proposed tables while the form is open (None: no server).
        self.form_hold = hold
        self._held_for: Wanted | None = None
        self._idle = QTimer(self, singleShot=True, interval=IDLE_RELEASE_MS)
        self._idle.timeout.connect(self._let_go)
        self.advice = BookingAdvice(queries)
        self.venue = state.venue
        self.customer: Customer | None = None
        # Staff said the phone's known guest is someone else: book a new guest on it.
        self._new_guest = False
        self._waitlist = False
        self.options: BookingOptions | None = None
        self.setWindowTitle("New booking")
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self.refresh_options)
        self._build()
        self._wire()
        self.reset()

    # Layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.find = QLineEdit(placeholderText="Find a returning guest by phone or name")
        self.found = QListWidget()
        self.found.setMaximumHeight(90)
        self.found.hide()
        self.vip = QLabel()
        self.vip.setStyleSheet("color: #8a6200; font-weight: bold;")
        self.name = QLineEdit()
        self.phone = QLineEdit(placeholderText="07700 900123")
        self.email = QLineEdit(placeholderText="optional")
        self.party = QSpinBox(minimum=1, maximum=MAX_PARTY)
        self.package = PackageBox()
        self.day = QDateEdit(calendarPopup=True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.time = SlotTimeEdit()
        # 0 stands for "the venue's default for the party's size".
        self.duration = QSpinBox(minimum=0, maximum=MAX_DURATION, singleStep=15, suffix=" min")
        self.duration.setSpecialValueText("by party size")
        self.occasion = QComboBox(editable=True)
        self.occasion.addItems(list(OCCASIONS))
        self.requests = QLineEdit(placeholderText="e.g. high chair, near the window")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(54)
        self.errors = {f: error_label() for f in FIELDS}
        self.guest_choice = GuestChoiceBox()
        self.marketing = ConsentBoxes()
        # Writing up a night after an outage: only staff who may record the past see it.
        self.record_past = QCheckBox("Record a booking whose time has passed")
        self.record_past.setVisible(self._may_record_past())
        self.state.staff_changed.connect(
            lambda _: self.record_past.setVisible(self._may_record_past())
        )

        form = QFormLayout()
        form.addRow("Guest", stacked(self.find, self.found, self.vip))
        form.addRow("Name", stacked(self.name, self.errors["name"], self.guest_choice))
        form.addRow("Phone", stacked(self.phone, self.errors["phone"]))
        form.addRow("Email", stacked(self.email, self.errors["email"]))
        form.addRow("Consent", self.marketing)
        form.addRow("Party", stacked(self.party, self.errors["party_size"]))
        form.addRow("Package", stacked(self.package, self.errors["package"]))
        # A venue that sells no packages is not asked about them.
        self._form, self._package_row = form, form.rowCount() - 1
        when = QHBoxLayout()
        when.addWidget(self.day)
        when.addWidget(self.time)
        when_box = QWidget()
        when_box.setLayout(when)
        when.setContentsMargins(0, 0, 0, 0)
        form.addRow("Date and time", stacked(when_box, self.errors["start"], self.record_past))
        form.addRow("Duration", stacked(self.duration, self.errors["duration"]))
        form.addRow("Occasion", self.occasion)
        form.addRow("Requests", self.requests)
        form.addRow("Notes", self.notes)

        self.fits = QLabel(wordWrap=True)
        self.deposit = QLabel(wordWrap=True)
        self.alternatives = QHBoxLayout()
        self.alternatives_box = QWidget()
        self.alternatives_box.setLayout(self.alternatives)
        self.alternatives.setContentsMargins(0, 0, 0, 0)
        advice = QVBoxLayout()
        advice.addWidget(self.fits)
        advice.addWidget(self.alternatives_box)
        advice.addWidget(self.deposit)
        self.hold_note = QLabel(wordWrap=True)
        self.hold_note.hide()
        advice.addWidget(self.hold_note)
        advice.addWidget(self.errors["tables"])
        advice_box = QWidget()
        advice_box.setObjectName("advice")
        advice_box.setStyleSheet(
            "#advice { background: #f3f6fb; border: 1px solid #d5deec; border-radius: 6px; }"
        )
        advice_box.setLayout(advice)

        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.waitlist_button = QPushButton("Add to waitlist")
        self.close_button = QPushButton("Close")
        self.status = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.waitlist_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(advice_box)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self._tab_order()

    def _tab_order(self) -> None:
        """Tab walks the form top to bottom, as staff read it, and ends on Save."""
        self.notes.setTabChangesFocus(True)  # a tab typed in the notes moves on, as elsewhere
        order = [
            self.find,
            self.name,
            self.phone,
            self.email,
            self.party,
            self.package,
            self.day,
            self.time,
            self.record_past,
            self.duration,
            self.occasion,
            self.requests,
            self.notes,
            self.save_button,
            self.waitlist_button,
            self.close_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _may_record_past(self) -> bool:
        return self.state.may(Action.RECORD_PAST_BOOKING)

    def _wire(self) -> None:
        for signal in (
            self.party.valueChanged,
            self.day.dateChanged,
            self.time.timeChanged,
            self.duration.valueChanged,
            self.package.currentIndexChanged,
        ):
            signal.connect(lambda *_: self._timer.start())
        self.find.textChanged.connect(self._search)
        self.found.itemActivated.connect(self._pick)
        self.found.itemClicked.connect(self._pick)
        self.guest_choice.known_chosen.connect(self._book_for)
        self.guest_choice.new_chosen.connect(self._book_new_guest)
        self.name.textEdited.connect(lambda _: self._forget_customer())
        self.phone.textEdited.connect(lambda _: self._forget_customer())
        self.save_button.clicked.connect(
            lambda: self.save(waitlist=self.options is not None and self.options.waitlist)
        )
        self.waitlist_button.clicked.connect(lambda: self.save(waitlist=True))
        self.close_button.clicked.connect(self.reject)

    # Behaviour ------------------------------------------------------------------------

    def reset(self, day: date | None = None, at: time | None = None) -> None:
        for w in (self.find, self.name, self.phone, self.email, self.requests):
            w.clear()
        self.notes.clear()
        self.record_past.setChecked(False)
        self.occasion.setCurrentIndex(0)
        self.package.setCurrentIndex(0)
        self.party.setValue(2)
        self.duration.setValue(0)
        shown = self.venue.local(self.state.at)
        d = day or self.state.day
        self.day.setDate(QDate(d.year, d.month, d.day))
        # The next slot from the time shown: a booking made at 19:52 is for 20:00, not 19:45.
        slot = (shown + timedelta(minutes=-shown.minute % SLOT_MINUTES)).replace(
            second=0, microsecond=0
        )
        if slot < shown:
            slot += timedelta(minutes=SLOT_MINUTES)
        t = at or slot.time()
        self.time.setTime(QTime(t.hour, t.minute))
        self._forget_customer()
        self.marketing.show_answers()
        self.show_errors({})
        self.status.clear()
        self.refresh_options()

    def start(self) -> datetime:
        return picked_start(self.venue, self.day, self.time)

    def refresh_options(self) -> None:
        vip = bool(self.customer and self.customer.vip)
        options = self.advice.options(
            self.party.value(), self.start(), self.duration.value() or None, vip
        )
        self.options = options
        rules = self.queries.venue()
        plan = rules.plan
        self._show_packages(rules.deposits)
        self._clear_alternatives()
        if options.problem:
            self.fits.setText(f"<b>Cannot book:</b> {options.problem}")
            self.save_button.setText("Save")
            self.save_button.setEnabled(False)
            self.deposit.clear()
            return
        self.save_button.setEnabled(True)
        if options.best is not None:
            where = plan.numbers(options.best.table_ids)
            label = "tables" if len(options.best.table_ids) > 1 else "table"
            others = [
                plan.numbers(s.table_ids)
                for s in options.fitting
                if s.table_ids != options.best.table_ids
            ]
            text = f"<b>Fits:</b> {label} {where}"
            if options.moves:
                text += " if these unseated bookings move: " + "; ".join(options.moves)
            elif others:
                text += f" · also free: {', '.join(others[:8])}"
            self.fits.setText(text)
            verb = "Hold" if options.deposit_pence else "Confirm"
            moving = f" (moving {len(options.moves)})" if options.moves else ""
            self.save_button.setText(f"{verb} at {label} {where}{moving}")
        else:
            self.fits.setText(
                f"<b>No table is free</b> for {options.party_size} at "
                f"{self.venue.show_time(options.start)}."
                + (
                    " Nearest times:"
                    if options.nearest_times
                    else " Nothing free within two hours."
                )
            )
            for alt in options.nearest_times:
                label = self.venue.show_time(alt.start)
                if alt.moves:
                    label += f" (moving {alt.moves})"
                button = QPushButton(label)
                button.setToolTip(
                    "Use this time"
                    + (
                        f"; {alt.moves} unseated booking(s) would move to make room"
                        if alt.moves
                        else ""
                    )
                )
                button.clicked.connect(lambda _=False, a=alt.start: self._use_time(a))
                self.alternatives.addWidget(button)
            self.alternatives.addStretch(1)
            self.save_button.setText("Add to waitlist")
        self.waitlist_button.setVisible(options.best is not None)
        self.alternatives_box.setVisible(bool(options.nearest_times))
        if options.deposit_pence:
            money = (
                f"Deposit required: <b>{format_pence(options.deposit_pence)}</b> "
                f"({format_pence(options.deposit_pence // max(1, options.party_size))} a head); "
                "the booking is held until it is paid."
            )
        else:
            money = "No deposit needed."
        if options.minimum_pence and options.best is not None:
            # Told to the guest while they book: the table is sold with it.
            ids = options.best.table_ids
            noun = "tables" if len(ids) > 1 else "table"
            money += (
                f"<br>Minimum spend at {noun} {plan.numbers(ids)}: "
                f"<b>{format_pence(options.minimum_pence)}</b>."
            )
        sold = package_line(rules.deposits, self.package.chosen(), options.party_size)
        if sold:
            money += f"<br>Package: {sold}"
        self.deposit.setText(money)
        self._update_hold(options)

    def _show_packages(self, listed: Sells) -> None:
        self._form.setRowVisible(self._package_row, bool(listed.packages))
        self.package.show_for(listed, self.party.value())

    def _update_hold(self, options: BookingOptions) -> None:
        """Hold the proposed tables on the server while the form is open."""
        if self.form_hold is None:
            return
        if not self.isVisible() or options.best is None:
            self._let_go()
            return
        end = options.start + timedelta(minutes=options.duration_minutes)
        wanted: Wanted = (options.best.table_ids, options.start, end)
        self._idle.start()
        if wanted == self._held_for:
            return
        self._held_for = wanted
        keeper = self.form_hold
        self.commands.ops.net.submit(
            lambda: keeper.want(*wanted), lambda news: self._hold_news(wanted, news)
        )

    def _hold_news(self, wanted: Wanted, news: HoldNews) -> None:
        if wanted != self._held_for:
            return
        words = self.queries.venue().plan.numbers(wanted[0])
        if news.held:
            self.hold_note.setText(f"Table {words} is held for this booking while you fill it in.")
            self.hold_note.setStyleSheet("color: #2d6a3e;")
        elif news.refusal:
            self.hold_note.setText(f"⚠ {news.refusal} Pick another table or time.")
            self.hold_note.setStyleSheet("color: #8c1d15;")
        self.hold_note.setVisible(news.held or bool(news.refusal))

    def _let_go(self) -> None:
        """Release the form's hold (closed, idle, or nothing to hold)."""
        self.hold_note.hide()
        if self._held_for is None or self.form_hold is None:
            return
        self._held_for = None
        self.commands.ops.net.submit(self.form_hold.release)

    def _fence(self) -> tuple[tuple[str, ...], int | None]:
        """The held tables and the hold's fencing token, if it still covers this booking."""
        if self._held_for is None or self.form_hold is None or self.options is None:
            return (), None
        tables = self._held_for[0]
        end = self.start() + timedelta(minutes=self.options.duration_minutes)
        return tables, self.form_hold.token_for(tables, self.start(), end)

    def done(self, result: int) -> None:
        self._let_go()
        super().done(result)

    def _clear_alternatives(self) -> None:
        while self.alternatives.count():
            item = self.alternatives.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def _use_time(self, at: datetime) -> None:
        local = self.venue.local(at)
        self.time.setTime(QTime(local.hour, local.minute))

    def _search(self, text: str) -> None:
        self.found.clear()
        if len(text.strip()) < 2:
            self.found.hide()
            return
        for c in self.queries.search_customers(text):
            phone = display_phone(c.phone) if c.phone else "no phone"
            line = f"{c.name}{'  ★ VIP' if c.vip else ''} · {phone}"
            line += f" · {c.completed_count} visits" if c.completed_count else ""
            item = QListWidgetItem(line)
            item.setData(256, c)
            self.found.addItem(item)
        self.found.setVisible(self.found.count() > 0)

    def _pick(self, item: QListWidgetItem) -> None:
        self._use_customer(item.data(256))

    def _use_customer(self, c: Customer) -> None:
        self.customer = c
        self.name.setText(c.name)
        self.phone.setText(display_phone(c.phone) if c.phone else "")
        self.email.setText(c.email or "")
        self.marketing.show_answers(c.consent)
        self.vip.setText(
            "★ VIP guest — deposit waived, VIP tables offered"
            if c.vip
            else f"Returning guest: {c.completed_count} visits, {c.no_shows} no-shows"
        )
        self.vip.show()
        self.found.hide()
        self._timer.start()

    def _forget_customer(self) -> None:
        if self.customer is not None:
            self._timer.start()
            self.marketing.show_answers()  # the boxes showed that guest's answers
        self.customer = None
        self._new_guest = False
        self.guest_choice.clear()
        self.vip.hide()

    def _book_for(self, known: Customer) -> None:
        ticked = self.marketing.wanted()  # what the guest just said stands
        self._use_customer(known)
        self.marketing.tick(ticked)
        self.save(waitlist=self._waitlist)

    def _book_new_guest(self) -> None:
        self._new_guest = True
        self.save(waitlist=self._waitlist)

    def command(self) -> NewBooking:
        held, token = self._fence()
        return NewBooking(
            name=self.name.text(),
            phone=self.phone.text(),
            email=self.email.text() or None,
            party_size=self.party.value(),
            start=self.start(),
            duration_minutes=self.duration.value() or None,
            occasion=self.occasion.currentText(),
            special_requests=self.requests.text(),
            notes=self.notes.toPlainText(),
            customer_id=self.customer.id if self.customer else None,
            allow_moves=bool(self.options and self.options.moves),
            held_table_ids=held,
            fencing_token=token,
            guest=GuestChoice.NEW if self._new_guest else None,
            record_past=self._may_record_past() and self.record_past.isChecked(),
            marketing=self.marketing.wanted(),
            package_id=self.package.chosen(),
        )

    def save(self, *, waitlist: bool) -> None:
        self.show_errors({})
        self.guest_choice.clear()
        self._waitlist = waitlist
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        cmd = self.command()
        run = self.commands.add_to_waitlist if waitlist else self.commands.create
        run(cmd, self._saved, self._failed)

    def _saved(self, result: BookingResult) -> None:
        self.status.setText(result.message)
        self.saved.emit(result)
        self.reset()
        self.status.setText(result.message)

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, SamePhoneOtherName):
            self.guest_choice.ask(error)
            self.status.setText("Not saved yet: choose whose booking this is.")
            return
        if isinstance(error, InvalidFields):
            self.show_errors(error.errors)
        elif isinstance(error, InvalidInput):
            self.show_errors({error.field: str(error)})
        self.status.setText(f"Not saved: {error}")

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(bool(errors.get(name)))
        unplaced = {k: v for k, v in errors.items() if k not in self.errors}
        if unplaced:
            self.errors["tables"].setText(" ".join(unplaced.values()))
            self.errors["tables"].show()


def error_label() -> QLabel:
    label = QLabel(wordWrap=True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def stacked(*widgets: QWidget) -> QWidget:
    """Widgets one under another with no margins: a field and its error beneath it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    for w in widgets:
        column.addWidget(w)
    return box


def picked_start(venue: Venue, day: QDateEdit, at: QTimeEdit) -> datetime:
    """The instant a date box and a time box name, as venue wall time."""
    d, t = day.date(), at.time()
    return venue.wall_time_on(date(d.year(), d.month(), d.day()), time(t.hour(), t.minute()))
