from datetime import timedelta

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDateTimeEdit

from app.domain.booking import BookingStatus
from tests.ui.conftest import book, tonight_at


def open_form(window, hh=21, mm=0):
    window.new_booking()
    form = window.form
    form.time.setTime(QTime(hh, mm))
    form.refresh_options()
    return form


def test_the_suggestions_follow_the_party_size(qtbot, desk, manager, make_window):
    window = make_window(manager)
    form = open_form(window)

    form.party.setValue(2)
    qtbot.waitUntil(lambda: form.options.party_size == 2)
    two = (form.save_button.text(), form.fits.text(), form.deposit.text())
    form.party.setValue(9)
    qtbot.waitUntil(lambda: form.options.party_size == 9)

    assert two[0] == "Confirm at table 1"
    assert "No deposit" in two[2]
    assert form.save_button.text() == "Hold at tables 15 + 16"
    assert "tables 15 + 16" in form.fits.text()
    assert "£90.00" in form.deposit.text()


def test_when_no_table_fits_the_form_offers_the_nearest_times_and_the_waitlist(
    qtbot, desk, manager, make_window
):
    book(desk, manager, "Early Big Party", 10, 17, 0, tables=(15, 16))  # until 20:00
    window = make_window(manager)
    form = open_form(window, 19, 0)

    form.party.setValue(9)
    qtbot.waitUntil(lambda: form.options.party_size == 9)

    assert form.save_button.text() == "Add to waitlist"
    assert "No table is free" in form.fits.text()
    times = [
        form.alternatives.itemAt(i).widget().text()
        for i in range(form.alternatives.count())
        if form.alternatives.itemAt(i).widget()
    ]
    assert times[0] == "20:00"


def test_saving_a_party_of_nine_books_tables_15_and_16(qtbot, desk, manager, make_window):
    window = make_window(manager)
    form = open_form(window)
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")
    form.party.setValue(9)
    form.refresh_options()

    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()

    [view] = desk.queries.bookings_on(desk.queries.tonight())
    assert view.tables == "15 + 16"
    assert view.booking.status is BookingStatus.PENDING
    assert "Held at tables 15 + 16" in form.status.text()


def test_invalid_input_shows_errors_next_to_the_fields_and_saves_nothing(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    form = open_form(window)
    form.name.setText("   ")
    form.phone.setText("not a phone")
    form.email.setText("nobody@")

    with qtbot.waitSignal(window.ops.refused):
        form.save_button.click()

    assert form.errors["name"].isVisible()
    assert form.errors["name"].text() == "Enter the guest's name."
    assert "'not a phone' is not a phone number." in form.errors["phone"].text()
    assert "is not an email address" in form.errors["email"].text()
    assert desk.queries.bookings_on(desk.queries.tonight()) == []
    assert desk.queries.pending_intents() == 0


def test_a_returning_vip_is_found_by_phone_and_flagged(qtbot, desk, manager, make_window):
    from dataclasses import replace

    first = book(desk, manager, "Vera Vip", 2, 18, 0)
    with desk.store.unit_of_work() as uow:
        customer = uow.customers.get(first.customer_id)
        uow.customers.save(replace(customer, vip=True), desk.queries.venue().venue.id, desk.clock())
        uow.commit()
    window = make_window(manager)
    form = open_form(window)

    form.find.setText("0113 496")
    qtbot.waitUntil(lambda: form.found.count() == 1)
    form._pick(form.found.item(0))

    assert "★ VIP" in form.vip.text()
    assert form.name.text() == "Vera Vip"


def test_a_party_that_fits_only_if_a_couple_moves_is_offered_the_move_and_saved_with_it(
    qtbot, desk, manager, make_window
):
    plan = desk.queries.venue().plan
    for n in (1, 2, 3, 13):
        book(desk, manager, f"Couple {n}", 2, 21, 0, tables=(n,))
    book(desk, manager, "Couple on four", 2, 21, 0, tables=(4,))
    for n in (5, 6, 14, 7, 8):
        book(desk, manager, f"Four {n}", 4, 21, 0, tables=(n,))
    for n in (9, 10, 11, 15, 16):
        book(desk, manager, f"Five {n}", 5, 21, 0, tables=(n,))
    couple_one = next(
        v.booking
        for v in desk.queries.bookings_on(desk.queries.tonight())
        if v.customer.name == "Couple 1"
    )
    desk.lifecycle.cancel(manager, couple_one.id)
    window = make_window(manager)
    form = open_form(window)
    form.name.setText("Late Four")
    form.phone.setText("0113 496 0888")

    form.party.setValue(4)
    qtbot.waitUntil(lambda: form.options.party_size == 4)

    assert "Couple on four" in form.fits.text() and "to table 1" in form.fits.text()
    assert form.save_button.text() == "Confirm at table 4 (moving 1)"
    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()
    night = {v.customer.name: v.booking for v in desk.queries.bookings_on(desk.queries.tonight())}
    assert plan.numbers(night["Late Four"].table_ids) == "4"
    assert plan.numbers(night["Couple on four"].table_ids) == "1"


def test_a_new_booking_starts_at_the_next_slot_and_the_minutes_step_by_a_quarter_hour(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 19, 52))
    window.new_booking()
    form = window.form
    started = form.time.time().toString("HH:mm")
    form.time.setCurrentSection(QDateTimeEdit.Section.MinuteSection)
    steps = []
    for value, step in (((20, 0), 1), ((20, 7), -1), ((20, 7), 1), ((23, 45), 1)):
        form.time.setTime(QTime(*value))
        form.time.stepBy(step)
        steps.append(form.time.time().toString("HH:mm"))

    assert started == "20:00"
    assert steps == ["20:15", "20:00", "20:15", "00:00"]


def fill_guest(form):
    form.name.setText("Priya Shah")
    form.phone.setText("0113 496 0999")


def test_a_time_gone_by_is_refused_beside_the_date_and_nothing_is_booked(
    qtbot, desk, reception, make_window
):
    window = make_window(reception)
    form = open_form(window)
    fill_guest(form)
    form.day.setDate(form.day.date().addDays(-1))

    with qtbot.waitSignal(window.ops.refused):
        form.save_button.click()

    assert "has passed (it is now Wed 25 Nov, 15:00)" in form.errors["start"].text()
    assert form.record_past.isHidden()
    assert desk.queries.bookings_on(desk.queries.tonight() - timedelta(days=1)) == []


def test_a_manager_ticks_record_a_past_booking_and_the_night_before_gets_it(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    form = open_form(window)
    fill_guest(form)
    form.day.setDate(form.day.date().addDays(-1))
    form.record_past.setChecked(True)

    with qtbot.waitSignal(window.ops.changed):
        form.save_button.click()

    [view] = desk.queries.bookings_on(desk.queries.tonight() - timedelta(days=1))
    assert view.booking.status is BookingStatus.CONFIRMED
    assert not form.record_past.isChecked(), "the next booking starts from now again"


def test_tab_walks_the_form_top_to_bottom_and_ends_on_save(qtbot, desk, manager, make_window):
    window = make_window(manager)
    form = open_form(window)
    expected = [
        form.find,
        form.name,
        form.phone,
        form.email,
        form.party,
        form.day,
        form.time,
        form.record_past,
        form.duration,
        form.occasion,
        form.requests,
        form.notes,
        form.save_button,
    ]

    walked, widget = [], form.find
    for _ in range(200):
        if widget in expected and widget not in walked:
            walked.append(widget)
        widget = widget.nextInFocusChain()

    assert walked == expected
    assert form.notes.tabChangesFocus()
