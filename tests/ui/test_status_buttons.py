"""The list's status buttons offer what the kernel allows now, and say why not beside
what it does not: a no-show waits for the party's time, and comes on by itself then."""

from datetime import timedelta

from app.domain.booking import BookingStatus
from app.services.booking_create import NewBooking
from tests.ui.conftest import book, tonight_at, waitlist


def pick(window, booking_id):
    window.state.select(booking_id)
    return window.bookings.actions_by_name


def test_no_show_waits_for_the_partys_time_says_why_and_comes_on_by_itself(
    qtbot, desk, manager, make_window, clock
):
    party = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    clock.now = tonight_at(desk, 20, 50)
    window = make_window(manager)
    no_show = pick(window, party.id)["No-show"]
    before = no_show.isEnabled(), no_show.toolTip()

    clock.now = tonight_at(desk, 21, 20)
    window.tick()

    ref = party.reference
    assert before == (
        False,
        f"Booking {ref[:4]}-{ref[4:8]}-{ref[8:]} is for Wed 25 Nov, 21:00; a party can be "
        "marked a no-show only once its time has come.",
    )
    assert (no_show.isEnabled(), no_show.toolTip()) == (True, "No-show")
    with qtbot.waitSignal(window.ops.changed):
        no_show.trigger()
    assert desk.queries.booking(party.id).booking.status is BookingStatus.NO_SHOW


def test_a_booking_waiting_for_its_deposit_is_not_offered_confirm_but_is_seated_at_the_door(
    qtbot, desk, manager, make_window, clock
):
    party = book(desk, manager, "Big Table", 9, 21, 0, tables=(15, 16))
    clock.now = tonight_at(desk, 20, 55)
    actions = pick(make_window(manager), party.id)

    assert party.status is BookingStatus.PENDING
    assert not actions["Confirm"].isEnabled()
    assert "cannot be confirmed until its £90.00 deposit is paid" in actions["Confirm"].toolTip()
    assert actions["Seat"].isEnabled()


def test_a_waitlisted_party_is_not_offered_confirm_but_promoted_from_the_waitlist(
    qtbot, desk, manager, make_window, clock
):
    party = waitlist(desk, manager, "Grace Hopper", 4, 21, 0)
    window = make_window(manager)
    window.bookings.status.setCurrentText("All")
    actions = pick(window, party.id)

    assert window.bookings.selected_id() == party.id
    assert not actions["Confirm"].isEnabled()
    assert not actions["Seat"].isEnabled()


def test_a_party_owing_its_deposit_is_not_offered_seat_on_a_night_before_its_own(
    qtbot, desk, manager, make_window, clock
):
    start = tonight_at(desk, 21, 0) + timedelta(days=7)
    made = NewBooking(name="Big Table", phone="0113 496 0009", party_size=9, start=start)
    party = desk.create.create_booking(manager, made).booking
    window = make_window(manager)
    window.state.set_day(start.date())
    seat = pick(window, party.id)["Seat"]

    assert party.status is BookingStatus.PENDING and not party.deposit_settled
    assert not seat.isEnabled()
    assert "a party is seated on its own night, not before." in seat.toolTip()
