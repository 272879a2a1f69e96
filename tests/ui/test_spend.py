"""A table's minimum spend in the booking form, and a party's spend recorded from the list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTime

from app.domain.booking import BookingStatus
from tests.ui.conftest import book


def priced(desk, manager, **minimums):
    plan = desk.queries.venue().plan
    for number, pence in minimums.items():
        table = plan.table_by_number(int(number.removeprefix("t")))
        desk.floor.save_table(manager, replace(table, min_spend_pence=pence))


def pick(window, booking_id):
    window.bookings.status.setCurrentText("All")
    window.state.select(booking_id)
    return window.bookings.actions_by_name["Spend…"]


def test_the_form_tells_the_minimum_spend_of_the_tables_it_proposes(
    qtbot, desk, manager, make_window
):
    priced(desk, manager, t15=10_000, t16=5_000)
    window = make_window(manager)
    window.new_booking()
    form = window.form
    form.time.setTime(QTime(21, 0))
    form.party.setValue(2)
    qtbot.waitUntil(lambda: form.options.party_size == 2)
    couple = form.deposit.text()

    form.party.setValue(9)
    qtbot.waitUntil(lambda: form.options.party_size == 9)

    assert "Minimum spend" not in couple
    assert "Minimum spend at tables 15 + 16: <b>£150.00</b>." in form.deposit.text()


def test_a_seated_partys_spend_is_recorded_against_the_minimum_of_its_table(
    qtbot, desk, manager, reception, make_window
):
    priced(desk, manager, t4=8_000)
    four = book(desk, manager, "Ada Lovelace", 4, 19, tables=(4,))
    desk.lifecycle.seat(reception, four.id)
    window = make_window(reception)
    action = pick(window, four.id)
    assert action.isEnabled()
    action.trigger()
    dialog = window.bookings.spend_dialog
    assert dialog.minimum.text() == "Table 4 asks a minimum spend of £80.00."
    dialog.amount.setText("£62.50")
    pending = desk.queries.pending_intents()

    with qtbot.waitSignal(window.ops.changed):
        dialog.save()

    view = desk.queries.booking(four.id)
    assert view.booking.spend_pence == 6_250
    assert view.spend.words() == "£62.50 spent of a £80.00 minimum (£17.50 to go)"
    assert desk.queries.pending_intents() == pending + 1
    assert (
        window.notice.text() == "✓ Ada Lovelace: £62.50 spent of a £80.00 minimum (£17.50 to go)."
    )
    assert "£62.50 spent of a £80.00 minimum (£17.50 to go)" in window.bookings.model.data(
        window.bookings.model.index(0, 0), Qt.ItemDataRole.ToolTipRole
    )


def test_no_spend_is_offered_before_the_party_sits_down(qtbot, desk, manager, make_window):
    four = book(desk, manager, "Ada Lovelace", 4, 21, tables=(4,))
    window = make_window(manager)

    action = pick(window, four.id)

    assert desk.queries.booking(four.id).booking.status is BookingStatus.CONFIRMED
    assert not action.isEnabled()


def test_words_that_are_not_an_amount_are_refused_in_the_dialog_and_nothing_is_stored(
    qtbot, desk, manager, reception, make_window
):
    four = book(desk, manager, "Ada Lovelace", 4, 19, tables=(4,))
    desk.lifecycle.seat(reception, four.id)
    window = make_window(reception)
    pick(window, four.id).trigger()
    dialog = window.bookings.spend_dialog
    dialog.amount.setText("sixty")
    pending = desk.queries.pending_intents()

    with qtbot.waitSignal(window.ops.refused):
        dialog.save()

    assert dialog.isVisible()
    assert dialog.error.text() == "“sixty” is not an amount in pounds, e.g. 80.00."
    assert desk.queries.booking(four.id).booking.spend_pence is None
    assert desk.queries.pending_intents() == pending
