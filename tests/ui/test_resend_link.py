"""A manager sends the guest the booking's live payment link again from the bookings list
("Resend link", beside "Copy link"); reception is not offered it and is refused."""

from __future__ import annotations

from app.domain.deposit_links import RequestStatus
from tests.ui.conftest import book
from tests.ui.test_payment_link import pulled, told


def journalled(desk) -> list[str]:
    with desk.store.unit_of_work() as uow:
        return [m.name for m in uow.outbox.pending()]


def test_a_manager_resends_the_live_link_and_is_told_it_goes_by_email_and_text(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    desk.links.request_link(manager, booking.id)
    pulled(desk, booking)
    window = make_window(manager)
    words = told(window)
    window.bookings.table.selectRow(0)
    resend = window.bookings.actions_by_name["Resend link"]

    assert resend.isVisible() and resend.isEnabled()
    with qtbot.waitSignal(window.ops.changed):
        resend.trigger()

    [(text, ok)] = words
    assert ok, text
    assert text.startswith("Asked for Ada Lovelace's payment link (booking ")
    assert "sent again by email and text" in text
    assert journalled(desk)[-1] == "resend_deposit_link"


def test_an_expired_link_is_not_offered_for_resending(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    desk.links.request_link(manager, booking.id)
    pulled(desk, booking, RequestStatus.EXPIRED)
    window = make_window(manager)
    window.bookings.table.selectRow(0)

    assert not window.bookings.actions_by_name["Resend link"].isEnabled()


def test_a_booking_with_no_link_is_refused_with_the_reason(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 8, 19)
    window = make_window(manager)
    words = told(window)

    with qtbot.waitSignal(window.ops.refused):
        window.commands.resend_link(booking.id)

    [(text, ok)] = words
    assert not ok
    assert text.startswith("No payment link was sent for booking ")
    assert "resend_deposit_link" not in journalled(desk)


def test_reception_is_not_offered_resend_and_is_refused_if_it_asks(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    desk.links.request_link(reception, booking.id)
    pulled(desk, booking)
    window = make_window(reception)
    words = told(window)
    window.bookings.table.selectRow(0)

    assert not window.bookings.actions_by_name["Resend link"].isVisible()
    with qtbot.waitSignal(window.ops.refused):
        window.commands.resend_link(booking.id)

    [(text, ok)] = words
    assert not ok and "send a payment link to the guest again" in text
    assert "resend_deposit_link" not in journalled(desk)
