"""The waitlist panel shows each held offer, and staff take the guest's answer there."""

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from app.domain.booking import BookingStatus
from tests.ui.conftest import book, waitlist


def cancel_in_window(qtbot, window, booking_id):
    with qtbot.waitSignal(window.ops.changed):
        window.commands.cancel(booking_id, "called off")


def test_a_cancelled_table_appears_as_an_offer_and_seat_puts_the_guest_there(
    qtbot, desk, manager, make_window
):
    ava = book(desk, manager, "Ava Wood", 4, 21, tables=(7,))
    ben = waitlist(desk, manager, "Ben Ho", 4, 21)
    window = make_window(manager)

    cancel_in_window(qtbot, window, ava.id)

    [row] = window.waitlist.offer_rows
    assert "Table 7 (cancellation) is held for <b>Ben Ho</b>, party of 4" in row.label.text()
    assert "10 min left to answer" in row.label.text()
    assert "Table 7 offered to Ben Ho (party of 4)" in window.notice.text()
    assert row.accept.text() == "Seat at 7"

    with qtbot.waitSignal(window.ops.changed):
        row.accept.click()

    promoted = desk.queries.booking(ben.id)
    assert (promoted.booking.status, promoted.tables) == (BookingStatus.CONFIRMED, "7")
    assert window.waitlist.offer_rows == []


def test_declined_hands_the_table_to_the_next_guest_and_says_so(
    qtbot, desk, manager, make_window, clock
):
    ava = book(desk, manager, "Ava Wood", 4, 21, tables=(7,))
    ben = waitlist(desk, manager, "Ben Ho", 4, 21)
    clock.advance(minutes=1)
    waitlist(desk, manager, "Eve Ray", 2, 21)
    window = make_window(manager)
    cancel_in_window(qtbot, window, ava.id)

    with qtbot.waitSignal(window.ops.changed):
        window.waitlist.offer_rows[0].decline.click()

    [row] = window.waitlist.offer_rows
    assert "held for <b>Eve Ray</b>" in row.label.text()
    assert "Ben Ho declined the table. Table 7 offered to Eve Ray" in window.notice.text()
    assert desk.queries.booking(ben.id).booking.status is BookingStatus.WAITLISTED


def test_an_offer_nobody_answers_passes_on_when_the_timer_finds_it_expired(
    qtbot, desk, manager, make_window, clock
):
    ava = book(desk, manager, "Ava Wood", 4, 21, tables=(7,))
    waitlist(desk, manager, "Ben Ho", 4, 21)
    clock.advance(minutes=1)
    waitlist(desk, manager, "Eve Ray", 2, 21)
    window = make_window(manager)
    cancel_in_window(qtbot, window, ava.id)

    clock.advance(minutes=10)
    with qtbot.waitSignal(window.ops.changed):
        window.waitlist.settle_timer.timeout.emit()

    [row] = window.waitlist.offer_rows
    assert "held for <b>Eve Ray</b>" in row.label.text()


def test_an_open_offer_replaces_the_free_table_suggestion(qtbot, desk, manager, make_window):
    ava = book(desk, manager, "Ava Wood", 4, 21, tables=(7,))
    waitlist(desk, manager, "Ben Ho", 4, 21)
    desk.lifecycle.cancel(manager, ava.id)

    window = make_window(manager)

    assert len(window.waitlist.offer_rows) == 1
    assert window.waitlist.offer_row.isHidden()


OFFER_TEXT = uuid.uuid4()


def texted(desk, booking_id, status: str, version: int, error: str | None = None) -> None:
    """The offer's text as the server queued and sent it, pulled onto this desk: the same
    message each time, at the version the server's last change to it gave it."""
    from app.models.message_repository import write_pulled_messages
    from app.protocol.rows import MessageRow

    at = desk.clock() + timedelta(seconds=20)
    with desk.store.unit_of_work() as uow:
        write_pulled_messages(
            uow.session,
            [
                MessageRow(
                    id=OFFER_TEXT,
                    venue_id=uuid.uuid4(),
                    version=version,
                    updated_at=at,
                    booking_id=uuid.UUID(booking_id),
                    channel="sms",
                    template="offer_made",
                    to="•••• 0002",
                    status=status,
                    last_error=error,
                    created_at=at,
                    due_at=at,
                    sent_at=None if status == "failed" else at,
                    delivered_at=at if status == "delivered" else None,
                )
            ],
        )
        uow.commit()


def test_an_offer_says_whether_its_text_reached_the_guest(qtbot, desk, manager, make_window):
    ava = book(desk, manager, "Ava Wood", 4, 21, tables=(7,))
    ben = waitlist(desk, manager, "Ben Ho", 4, 21)
    window = make_window(manager)
    cancel_in_window(qtbot, window, ava.id)
    [row] = window.waitlist.offer_rows
    before = row.label.text()

    texted(desk, ben.id, "delivered", version=5)
    window.waitlist.refresh()
    [row] = window.waitlist.offer_rows
    delivered = row.label.text()
    texted(desk, ben.id, "failed", version=6, error="The provider reported undelivered (30003)")
    window.waitlist.refresh()
    [row] = window.waitlist.offer_rows

    at = (desk.clock() + timedelta(seconds=20)).astimezone(ZoneInfo("Europe/London"))
    assert "Texted" not in before
    assert f"Texted {at:%H:%M}, delivered." in delivered
    assert (
        "The text failed: The provider reported undelivered (30003). Call them." in row.label.text()
    )
