"""A booking's guest messages in the window: the dialog, the badge, texting and resending.

Messages reach the desk's file through its own mirror code, as a pull writes them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models.message_repository import write_pulled_messages, write_pulled_replies
from app.models.tables import OutboxRow
from app.protocol.rows import MessageReplyRow, MessageRow
from tests.ui.conftest import book

AT = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)  # 14:05 in London (GMT)


def pulled_message(desk, booking, *, status, template="booking_confirmed", channel="sms", **kw):
    row = MessageRow(
        id=kw.pop("id", uuid.uuid4()),
        venue_id=uuid.uuid4(),
        version=kw.pop("version", 5),
        updated_at=AT,
        booking_id=uuid.UUID(booking.id),
        channel=channel,
        template=template,
        to="•••• 0123" if channel == "sms" else "a•••@example.org",
        status=status,
        created_at=kw.pop("created_at", AT),
        due_at=AT,
        sent_at=kw.pop("sent_at", AT),
        **kw,
    )
    with desk.store.unit_of_work() as uow:
        write_pulled_messages(uow.session, [row])
        uow.commit()
    return str(row.id)


def pulled_reply(desk, booking, body, action="staff", why="not a digit", minutes=10):
    row = MessageReplyRow(
        id=uuid.uuid4(),
        venue_id=uuid.uuid4(),
        version=6,
        updated_at=AT,
        booking_id=uuid.UUID(booking.id),
        sender="•••• 0123",
        body=body,
        action=action,
        why=why,
        received_at=AT + timedelta(minutes=minutes),
    )
    with desk.store.unit_of_work() as uow:
        write_pulled_replies(uow.session, [row])
        uow.commit()


def queued(desk) -> list[dict]:
    with desk.store.read() as reader:
        return [json.loads(b) for b in reader.session.scalars(select(OutboxRow.body))]


def open_messages(qtbot, window):
    window.bookings.table.selectRow(0)
    with qtbot.waitSignal(window.ops.changed):  # opening reads the replies
        window.bookings.actions_by_name["Messages…"].trigger()
    return window.message_actions.dialog


def test_a_bookings_messages_show_in_words_at_london_times_with_the_failure_and_the_replies(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 4, 19)
    pulled_message(desk, booking, status="delivered")
    pulled_message(
        desk, booking, status="failed", template="reminder", channel="email",
        last_error="550 no such mailbox", sent_at=None, created_at=AT + timedelta(minutes=1),
    )  # fmt: skip
    pulled_reply(desk, booking, "1", action="confirm", why="1 to a booking")
    pulled_reply(desk, booking, "Can we bring a dog?", minutes=12)
    window = make_window(reception)

    dialog = open_messages(qtbot, window)

    assert dialog.windowTitle().startswith("Messages for booking ")
    assert "Ada Lovelace" in dialog.heading.text() and "•••• " in dialog.heading.text()
    assert dialog.rows() == [
        ["Wed 25 Nov, 14:05", "SMS", "Confirmation", "•••• 0123", "Delivered", ""],
        [
            "Wed 25 Nov, 14:06", "Email", "Reminder", "a•••@example.org", "Failed",
            "550 no such mailbox",
        ],
    ]  # fmt: skip
    assert dialog.reply_rows() == [
        ["Wed 25 Nov, 14:15", "•••• 0123", "1", "Confirmed the booking"],
        [
            "Wed 25 Nov, 14:17",
            "•••• 0123",
            "Can we bring a dog?",
            "For staff to read (not a digit)",
        ],
    ]


def test_the_badge_counts_todays_failures_and_unread_replies_and_reading_the_booking_clears_them(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 4, 19)
    pulled_message(desk, booking, status="failed", last_error="21211 invalid number")
    pulled_message(desk, booking, status="failed", created_at=AT - timedelta(days=1))
    pulled_reply(desk, booking, "Can we bring a dog?")
    pulled_reply(desk, booking, "9", action="cancel", why="9 to a booking")
    window = make_window(reception)
    badge = window.top.messages
    assert badge.isVisibleTo(window) and badge.text() == "✉ 1 failed · 1 new reply"

    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    listed = window.message_actions.attention.rows()
    open_messages(qtbot, window)

    assert [row[3] for row in listed] == [
        "Reply: Can we bring a dog?",
        "Confirmation by sms failed: 21211 invalid number",
    ]
    assert all(row[2] == "Ada Lovelace" for row in listed)
    assert badge.text() == "✉ 1 failed"


def test_a_text_longer_than_one_sms_is_refused_in_the_form_and_nothing_is_queued(
    qtbot, desk, reception, make_window
):
    book(desk, reception, "Ada Lovelace", 4, 19)
    window = make_window(reception)
    dialog = open_messages(qtbot, window)
    before = queued(desk)

    dialog.text.setPlainText("x" * 161)
    too_long = dialog.counter.text()
    dialog.send_button.click()

    assert too_long == "161/160"
    assert dialog.problem.text().startswith("The text is 161 characters long; one SMS holds 160")
    assert queued(desk) == before


def test_staff_text_the_guest_offline_and_the_dialog_says_it_waits_for_the_server(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 4, 19)
    window = make_window(reception)
    dialog = open_messages(qtbot, window)

    dialog.text.setPlainText("  Your table is ready early, see you soon!  ")
    with qtbot.waitSignal(window.ops.changed):
        dialog.send_button.click()

    [intent] = [q for q in queued(desk) if q["name"] == "send_sms"]
    assert intent["entity_id"] == booking.id
    assert intent["args"] == {"text": "Your table is ready early, see you soon!"}
    assert dialog.waiting.text() == (
        "Waiting to reach the server: Text from staff: Your table is ready early, see you soon!"
    )
    assert dialog.text.toPlainText() == ""


def test_only_a_failed_message_can_be_sent_again(qtbot, desk, reception, make_window):
    booking = book(desk, reception, "Ada Lovelace", 4, 19)
    pulled_message(desk, booking, status="delivered")
    failed = pulled_message(desk, booking, status="failed", created_at=AT + timedelta(minutes=1))
    window = make_window(reception)
    dialog = open_messages(qtbot, window)

    dialog.sent.setCurrentItem(dialog.sent.topLevelItem(0))
    delivered_may = dialog.resend_button.isEnabled()
    dialog.sent.setCurrentItem(dialog.sent.topLevelItem(1))
    failed_may = dialog.resend_button.isEnabled()
    with qtbot.waitSignal(window.ops.changed):
        dialog.resend_button.click()

    assert (delivered_may, failed_may) == (False, True)
    [intent] = [q for q in queued(desk) if q["name"] == "resend_message"]
    assert intent["entity_id"] == failed
    assert dialog.waiting.text() == "Waiting to reach the server: Send again"
