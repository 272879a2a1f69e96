from app.domain.booking import BookingStatus
from tests.ui.conftest import book, tonight_at, waitlist
from tests.ui.gestures import drag, table_centre


def numbers(desk, booking_id):
    return desk.queries.booking(booking_id).tables


def test_dragging_a_booked_table_onto_a_free_one_moves_the_booking_there(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))

    with qtbot.waitSignal(window.ops.changed):
        drag(window.floor.view, table_centre(window, 5), table_centre(window, 6))

    assert numbers(desk, booking.id) == "6"
    assert "Moved Ada Lovelace to table 6" in window.notice.text()


def test_dragging_a_party_of_four_onto_a_two_seat_table_is_refused_and_nothing_is_stored(
    qtbot, desk, manager, make_window
):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    pending_before = desk.queries.pending_intents()
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))

    with qtbot.waitSignal(window.ops.refused):
        drag(window.floor.view, table_centre(window, 5), table_centre(window, 1))

    assert "Table 1 seats 1–2, not a party of 4." in window.notice.text()
    assert window.notice.isVisible()
    assert numbers(desk, booking.id) == "5"
    assert desk.queries.pending_intents() == pending_before


def test_dragging_onto_a_table_taken_at_that_time_is_refused_with_the_reason(
    qtbot, desk, manager, make_window
):
    moving = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    book(desk, manager, "Grace Hopper", 3, 21, 30, tables=(6,))
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))

    with qtbot.waitSignal(window.ops.refused):
        drag(window.floor.view, table_centre(window, 5), table_centre(window, 6))

    assert (
        "Table 6 is taken from 21:30 to 23:30 by Grace Hopper (3); it is free until 21:30: "
        "seat them until then, or choose another table." in window.notice.text()
    )
    assert numbers(desk, moving.id) == "5"


def test_dragging_table_15_onto_16_with_a_party_of_nine_in_hand_combines_them(
    qtbot, desk, manager, make_window
):
    party = waitlist(desk, manager, "Big Table", 9, 21, 0)
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))
    window.waitlist.select(party.id)

    with qtbot.waitSignal(window.ops.changed):
        drag(window.floor.view, table_centre(window, 15), table_centre(window, 16))

    placed = desk.queries.booking(party.id)
    assert placed.tables == "15 + 16"
    assert placed.booking.combined
    assert placed.booking.status is BookingStatus.PENDING  # a party of 9 owes a deposit
    assert window.waitlist.model.rowCount() == 0


def test_dragging_table_15_onto_an_incompatible_table_is_refused(qtbot, desk, manager, make_window):
    party = waitlist(desk, manager, "Big Table", 9, 21, 0)
    window = make_window(manager)
    window.state.set_time(tonight_at(desk, 20, 30))
    window.waitlist.select(party.id)

    with qtbot.waitSignal(window.ops.refused):
        drag(window.floor.view, table_centre(window, 15), table_centre(window, 14))

    assert "Tables 14 + 15 cannot be combined." in window.notice.text()
    assert desk.queries.booking(party.id).booking.status is BookingStatus.WAITLISTED
