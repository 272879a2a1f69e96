"""Seating a party that still owes its deposit asks for it first — take it now (how it was
paid) or, for a manager, waive it — then seats the party; a refusal keeps the dialog open."""

from __future__ import annotations

from app.domain.booking import BookingStatus, DepositState
from tests.ui.conftest import book, tonight_at


def seat_asked(window):
    window.bookings.table.selectRow(0)
    seat = window.bookings.actions_by_name["Seat"]
    enabled = seat.isEnabled()
    seat.trigger()
    return enabled, window.bookings.deposit_dialog


def test_reception_takes_the_deposit_at_the_door_and_the_party_is_seated(
    qtbot, desk, reception, make_window, clock
):
    booking = book(desk, reception, "Ada Lovelace", 8, 19)
    clock.now = tonight_at(desk, 19, 5)
    window = make_window(reception)
    assert window.bookings.model.index(0, 5).data() == "£80.00 owed"

    enabled, dialog = seat_asked(window)
    asked = (dialog.windowTitle(), dialog.take_button.text(), dialog.waive_button.isEnabled())
    dialog.amount.setText("100")
    dialog.take_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    refused = dialog.error.text()
    untouched = desk.queries.booking(booking.id).booking
    dialog.amount.setText("80.00")
    dialog.method.setCurrentIndex(dialog.method.findText("Card machine"))
    with qtbot.waitSignal(window.ops.changed):
        dialog.take_button.click()

    assert enabled
    assert asked == ("Ada Lovelace owes a £80.00 deposit", "Take £80.00 and seat", False)
    assert "£100.00 is more than the £80.00 deposit" in refused
    assert (untouched.status, untouched.deposit_state) == (
        BookingStatus.PENDING,
        DepositState.REQUIRED,
    )
    after = desk.queries.booking(booking.id).booking
    assert (after.status, after.deposit_state) == (BookingStatus.SEATED, DepositState.PAID)
    qtbot.waitUntil(lambda: window.bookings.model.index(0, 5).data() != "£80.00 owed")
    assert window.bookings.model.index(0, 5).data() == "£80.00 paid (card machine)"


def test_a_manager_waives_the_deposit_at_the_door_with_a_reason(
    qtbot, desk, manager, make_window, clock
):
    booking = book(desk, manager, "Grace Hopper", 8, 19)
    clock.now = tonight_at(desk, 19, 5)
    window = make_window(manager)

    _enabled, dialog = seat_asked(window)
    dialog.waive_button.click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    no_reason = dialog.error.text()
    dialog.reason.setText("regulars, the owner's guests")
    with qtbot.waitSignal(window.ops.changed):
        dialog.waive_button.click()

    assert no_reason == "Say why the deposit is waived."
    after = desk.queries.booking(booking.id).booking
    assert (after.status, after.deposit_state) == (BookingStatus.SEATED, DepositState.WAIVED)
    qtbot.waitUntil(lambda: window.bookings.model.index(0, 5).data() == "waived")
