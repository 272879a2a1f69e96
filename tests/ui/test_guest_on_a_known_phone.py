"""The booking form when the phone typed is a known guest's under another name: it shows
both and staff choose."""

from __future__ import annotations

from tests.ui.conftest import book, phone_for
from tests.ui.test_booking_form import open_form

ADA = "Ada Lovelace"


def ask_for_zed_on_adas_phone(qtbot, desk, manager, make_window):
    book(desk, manager, ADA, 2, 18)
    window = make_window(manager)
    form = open_form(window)
    form.name.setText("Zed Other")
    form.phone.setText(phone_for(ADA))
    form.notes.setPlainText("Window seat")
    with qtbot.waitSignal(window.ops.refused):
        form.save_button.click()
    return window, form


def guests_tonight(desk) -> list[str]:
    return sorted(v.customer.name for v in desk.queries.bookings_on(desk.queries.tonight()))


def test_a_known_phone_under_another_name_shows_both_and_saves_nothing_until_staff_choose(
    qtbot, desk, manager, make_window
):
    _, form = ask_for_zed_on_adas_phone(qtbot, desk, manager, make_window)

    assert form.guest_choice.isVisible()
    assert "is the number of Ada Lovelace, not of Zed Other" in form.guest_choice.question.text()
    assert [b.text() for b in form.guest_choice.buttons()] == [
        "Book for Ada Lovelace",
        "New guest Zed Other",
    ]
    assert form.name.text() == "Zed Other" and form.notes.toPlainText() == "Window seat"
    assert guests_tonight(desk) == [ADA]


def test_choosing_a_new_guest_books_zed_on_the_same_phone(qtbot, desk, manager, make_window):
    window, form = ask_for_zed_on_adas_phone(qtbot, desk, manager, make_window)

    with qtbot.waitSignal(window.ops.changed):
        form.guest_choice.buttons()[1].click()

    assert guests_tonight(desk) == [ADA, "Zed Other"]
    phones = {v.customer.phone for v in desk.queries.bookings_on(desk.queries.tonight())}
    assert len(phones) == 1 and not form.guest_choice.isVisible()


def test_choosing_the_known_guest_books_for_ada(qtbot, desk, manager, make_window):
    window, form = ask_for_zed_on_adas_phone(qtbot, desk, manager, make_window)

    with qtbot.waitSignal(window.ops.changed):
        form.guest_choice.buttons()[0].click()

    assert guests_tonight(desk) == [ADA, ADA]
