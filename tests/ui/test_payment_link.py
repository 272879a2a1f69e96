"""The bookings list sends a payment link for a booking that owes its deposit (queued
while offline, and said so) and, once the link has been pulled, copies it to the
clipboard with its deadline in the venue's time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtGui import QGuiApplication

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_links import RequestStatus
from app.models.link_repository import write_pulled_links
from app.protocol.rows import DepositRequestRow
from app.services.deposit_links import OFFLINE_WORDS
from tests.ui.conftest import book

URL = "https://checkout.stripe.com/c/pay/cs_test_a1"


def pulled(desk, booking, status=RequestStatus.OPEN, url=URL):
    """The link as the server sent it to this desk (through the desk's own mirror code)."""
    at = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    row = DepositRequestRow(
        id=uuid.uuid4(),
        venue_id=uuid.uuid4(),
        version=7,
        updated_at=at,
        booking_id=uuid.UUID(booking.id),
        amount_pence=8000,
        currency="GBP",
        status=status,
        url=url,
        expires_at=datetime(2026, 11, 26, 21, 30, tzinfo=UTC),
        requested_by="Sam Reid",
        requested_at=at,
    )
    with desk.store.unit_of_work() as uow:
        write_pulled_links(uow.session, [row])
        uow.commit()


def told(window):
    words: list[tuple[str, bool]] = []
    window.ops.succeeded.connect(lambda text: words.append((text, True)))
    window.ops.refused.connect(lambda text: words.append((text, False)))
    return words


def test_reception_sends_a_link_offline_and_is_told_when_it_will_be_made(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    window = make_window(reception)
    words = told(window)
    window.bookings.table.selectRow(0)
    send = window.bookings.actions_by_name["Send payment link"]
    copy = window.bookings.actions_by_name["Copy link"]
    could = (send.isEnabled(), copy.isEnabled())

    with qtbot.waitSignal(window.ops.changed):
        send.trigger()

    after = desk.queries.booking(booking.id).booking
    assert could == (True, False), "nothing to copy before the server made the link"
    assert (after.status, after.deposit_state) == (BookingStatus.PENDING, DepositState.REQUESTED)
    [(text, ok)] = words
    assert ok and text.endswith(OFFLINE_WORDS)
    qtbot.waitUntil(lambda: not send.isEnabled())
    assert window.bookings.model.index(0, 5).data() == "£80.00 owed (link sent)"


def test_a_party_that_owes_nothing_has_no_link_to_send(qtbot, desk, reception, make_window):
    book(desk, reception, "Alan Turing", 2, 19)
    window = make_window(reception)
    window.bookings.table.selectRow(0)

    assert not window.bookings.actions_by_name["Send payment link"].isEnabled()
    assert not window.bookings.actions_by_name["Copy link"].isEnabled()


def test_the_pulled_link_is_copied_with_its_deadline_in_london_time(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    desk.links.request_link(reception, booking.id)
    pulled(desk, booking)
    QGuiApplication.clipboard().clear()
    window = make_window(reception)
    words = told(window)
    window.bookings.table.selectRow(0)
    copy = window.bookings.actions_by_name["Copy link"]

    assert copy.isEnabled()
    assert not window.bookings.actions_by_name["Send payment link"].isEnabled()
    copy.trigger()

    assert QGuiApplication.clipboard().text() == URL
    assert words == [("Copied Ada Lovelace's payment link (open until Thu 26 Nov, 21:30).", True)]


def test_an_expired_link_is_not_offered_for_copying(qtbot, desk, reception, make_window):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    desk.links.request_link(reception, booking.id)
    pulled(desk, booking, RequestStatus.EXPIRED)
    window = make_window(reception)
    window.bookings.table.selectRow(0)

    assert not window.bookings.actions_by_name["Copy link"].isEnabled()


def test_the_lists_tooltip_names_the_links_deadline_with_its_day(
    qtbot, desk, reception, make_window
):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    desk.links.request_link(reception, booking.id)
    pulled(desk, booking)
    window = make_window(reception)

    tip = window.bookings.model.index(0, 5).data(3)  # ToolTipRole

    # The link outlives the evening it was sent: a bare "21:30" would read as tonight's.
    assert "£80.00 link open until Thu 26 Nov, 21:30" in tip
    assert tip.count("link open until") == 1  # said once, on the deposit's line
    assert f"Payment link: {URL}" in tip
