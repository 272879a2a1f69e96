"""The marketing boxes on the booking form and the edit dialog: unticked unless the
guest said yes, each with the sentence staff read out; a tick or an untick is recorded
with its wording and time, and goes to the server with the guest."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import QTime

from app.domain.consent import Channel
from tests.conftest import START
from tests.ui.conftest import book
from tests.ui.test_edit_booking import open_editor

TEXT_SENTENCE = "May we send you our news and offers by text?"
EMAIL_SENTENCE = "May we send you our news and offers by email?"


def open_form(window):
    window.new_booking()
    form = window.form
    form.time.setTime(QTime(21, 0))
    form.refresh_options()
    return form


def queued_consent(db_path, name: str) -> list[list[dict]]:
    """The consent each queued intent of ``name`` carries to the server, oldest first."""
    with sqlite3.connect(db_path) as conn:
        bodies = [
            json.loads(b)
            for (b,) in conn.execute(
                "SELECT body FROM outbox WHERE name = ? ORDER BY device_seq", (name,)
            )
        ]
    return [
        (b["args"]["customer"] if name == "create_booking" else b["args"])["consent"]
        for b in bodies
    ]


def test_both_boxes_start_unticked_with_the_sentence_staff_read_out(
    qtbot, desk, reception, make_window
):
    form = open_form(make_window(reception))
    boxes = form.marketing.boxes

    assert [(b.text(), b.isChecked()) for b in boxes.values()] == [
        ("Marketing by email", False),
        ("Marketing by text", False),
    ]
    assert [b.toolTip() for b in boxes.values()] == [EMAIL_SENTENCE, TEXT_SENTENCE]
    assert form.marketing.words.text() == f"Email: {EMAIL_SENTENCE}\nText: {TEXT_SENTENCE}"


def test_ticking_marketing_by_text_records_a_yes_with_its_wording_and_time(
    qtbot, desk, reception, make_window, db_path
):
    window = make_window(reception)
    form = open_form(window)
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")
    form.marketing.boxes[Channel.SMS].setChecked(True)

    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()

    [view] = desk.queries.bookings_on(desk.queries.tonight())
    [record] = view.customer.consent
    assert (record.channel, record.given, record.at) == (Channel.SMS, True, START)
    assert (record.wording_id, record.wording_version, record.recorded_by) == (
        "marketing-sms",
        2,
        reception.name,
    )
    assert queued_consent(db_path, "create_booking") == [
        [
            {
                "channel": "sms",
                "given": True,
                "at": "2026-11-25T15:00:00Z",
                "wording_id": "marketing-sms",
                "wording_version": 2,
                "recorded_by": reception.name,
            }
        ]
    ]
    assert [b.isChecked() for b in form.marketing.boxes.values()] == [False, False]


def test_a_booking_left_unticked_records_nothing(qtbot, desk, reception, make_window, db_path):
    window = make_window(reception)
    form = open_form(window)
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")

    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()

    [view] = desk.queries.bookings_on(desk.queries.tonight())
    assert view.customer.consent == ()
    assert queued_consent(db_path, "create_booking") == [[]]


def test_a_returning_guest_shows_their_answers_on_the_form(
    qtbot, desk, reception, make_window, clock
):
    window = make_window(reception)
    form = open_form(window)
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")
    form.marketing.boxes[Channel.EMAIL].setChecked(True)
    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()

    form.find.setText("Priya")
    form._pick(form.found.item(0))

    assert [b.isChecked() for b in form.marketing.boxes.values()] == [True, False]


def test_unticking_in_the_edit_dialog_records_a_withdrawal_and_keeps_the_rest(
    qtbot, desk, reception, make_window, db_path, clock
):
    window = make_window(reception)
    form = open_form(window)
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")
    form.marketing.boxes[Channel.EMAIL].setChecked(True)
    form.marketing.boxes[Channel.SMS].setChecked(True)
    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()
    form.close()
    clock.advance(minutes=30)

    dialog = open_editor(qtbot, window)
    shown = [b.isChecked() for b in dialog.marketing.boxes.values()]
    dialog.marketing.boxes[Channel.SMS].setChecked(False)
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert shown == [True, True]
    [view] = desk.queries.bookings_on(desk.queries.tonight())
    answers = {r.channel: (r.given, r.at.isoformat()) for r in view.customer.consent}
    assert answers == {
        Channel.EMAIL: (True, "2026-11-25T15:00:00+00:00"),
        Channel.SMS: (False, "2026-11-25T15:30:00+00:00"),
    }
    [sent] = queued_consent(db_path, "upsert_customer")
    assert [(r["channel"], r["given"], r["at"]) for r in sent] == [
        ("email", True, "2026-11-25T15:00:00Z"),
        ("sms", False, "2026-11-25T15:30:00Z"),
    ]


def test_an_edit_that_leaves_the_boxes_alone_records_no_answer(
    qtbot, desk, reception, make_window, db_path
):
    book(desk, reception, "Ada Lovelace", 2, 19, tables=(7,))
    window = make_window(reception)
    dialog = open_editor(qtbot, window)

    dialog.name.setText("Ada King")
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert queued_consent(db_path, "upsert_customer") == [[]]
