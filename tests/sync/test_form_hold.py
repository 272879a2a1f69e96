"""A booking form holds the tables it proposes; the booking carries the hold's fencing token."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from app.domain.errors import DomainError
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.services.form_hold import FormHold
from app.sync.holds import HoldKeeper
from tests.sync.test_holds import Monotonic
from tests.sync.world import EVENING, TABLE

LATER = EVENING + timedelta(hours=2)
SEVEN = (str(TABLE[7]),)


def form_hold(desk, clock: Monotonic) -> FormHold:
    return FormHold(HoldKeeper(desk.engine.api, monotonic=clock, margin=15))


def booking_on_seven(desk, name: str, **held) -> NewBooking:
    return NewBooking(
        name=name,
        phone="0113 496 0123",
        party_size=4,
        start=EVENING,
        duration_minutes=120,
        table_ids=SEVEN,
        **held,
    )


def last_args(desk) -> dict:
    with sqlite3.connect(desk.path) as conn:
        [args] = conn.execute(
            "SELECT json_extract(body, '$.args') FROM outbox ORDER BY device_seq DESC LIMIT 1"
        ).fetchone()
    return json.loads(args)


def test_a_form_holding_table_7_sends_its_token_and_the_server_takes_the_booking(desks):
    reception = desks("Reception")
    form = form_hold(reception, Monotonic())
    news = form.want(SEVEN, EVENING, LATER)
    token = form.token_for(SEVEN, EVENING, LATER)

    reception.desk.create.create_booking(
        reception.staff(Role.RECEPTION),
        booking_on_seven(reception, "Ada Lovelace", held_table_ids=SEVEN, fencing_token=token),
    )
    sent = last_args(reception)
    reception.engine.sync_once()

    assert news.held and token is not None
    assert sent["fencing_token"] == token
    assert reception.pending() == 0
    [booking] = reception.bookings().values()
    assert booking["status"] == "confirmed"


def test_the_other_desk_is_refused_the_hold_and_cannot_book_the_held_table(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    clock = Monotonic()
    form_hold(reception, clock).want(SEVEN, EVENING, LATER)

    news = form_hold(manager, clock).want(SEVEN, EVENING, LATER)
    manager.engine.sync_once()

    assert not news.held and "Reception is holding table 7" in news.refusal
    with pytest.raises(DomainError, match=r"Table 7 is being booked by .* on Reception"):
        manager.desk.create.create_booking(
            manager.staff(Role.RECEPTION), booking_on_seven(manager, "Grace Hopper")
        )


def test_a_hold_past_its_deadline_on_this_machine_sends_no_token(desks):
    reception = desks("Reception")
    clock = Monotonic()
    form = form_hold(reception, clock)
    form.want(SEVEN, EVENING, LATER)

    clock.now += 200

    assert form.token_for(SEVEN, EVENING, LATER) is None


def test_a_booking_that_lands_on_other_tables_than_held_sends_no_token(desks):
    reception = desks("Reception")
    form = form_hold(reception, Monotonic())
    form.want((str(TABLE[8]),), EVENING, LATER)
    token = form.token_for((str(TABLE[8]),), EVENING, LATER)

    reception.desk.create.create_booking(
        reception.staff(Role.RECEPTION),
        booking_on_seven(
            reception, "Ada Lovelace", held_table_ids=(str(TABLE[8]),), fencing_token=token
        ),
    )

    assert token is not None
    assert "fencing_token" not in last_args(reception)


def test_releasing_the_form_lets_the_other_desk_hold_the_table(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    clock = Monotonic()
    form = form_hold(reception, clock)
    form.want(SEVEN, EVENING, LATER)

    form.release()

    assert form_hold(manager, clock).want(SEVEN, EVENING, LATER).held


def test_the_open_booking_form_holds_its_table_and_its_booking_carries_the_token(qtbot, desks):
    from PySide6.QtCore import QTime

    from app.views.main_window import MainWindow

    reception, manager = desks("Reception"), desks("Manager laptop")
    holds = HoldKeeper(reception.engine.api)
    connected = Desk(reception.store, reception.clock, DeskSync.of_engine(reception.engine, holds))
    window = MainWindow(connected, reception.staff(Role.RECEPTION))
    qtbot.addWidget(window)
    window.new_booking()
    form = window.form
    form.time.setTime(QTime(20, 0))
    form.party.setValue(4)
    qtbot.waitUntil(lambda: "held for this booking" in form.hold_note.text(), timeout=5000)
    tables = form.options.best.table_ids

    other = form_hold(manager, Monotonic()).want(tables, EVENING, LATER)
    form.name.setText("Ada Lovelace")
    form.phone.setText("0113 496 0123")
    with qtbot.waitSignal(window.ops.changed, timeout=5000):
        form.save_button.click()

    assert not other.held and "Reception is holding table" in other.refusal
    args = last_args(reception)
    assert args["table_ids"] == list(tables) and isinstance(args["fencing_token"], int)
    reception.engine.sync_once()
    assert reception.pending() == 0
    window.ops.stop()
