"""A desk left showing now keeps showing now: the floor, the timeline's red line and the
waitlist move on with the clock, with no one touching the desk. The window's minute
timer calls ``tick``; the tests call it as the timer would, after moving the clock."""

from datetime import timedelta

from app.services.queries import TableState
from tests.ui.conftest import book, tonight_at, waitlist


def table_state(window, number):
    plan = window.floor.plan
    return window.floor.scene.items_by_id[plan.table_by_number(number).id].state


def test_a_floor_left_on_now_follows_the_clock_and_a_table_turns_overdue_on_its_own(
    qtbot, desk, manager, make_window, clock
):
    party = book(desk, manager, "Ada Lovelace", 4, 19, 0, tables=(5,))
    clock.now = tonight_at(desk, 19, 5)
    desk.lifecycle.seat(manager, party.id)
    window = make_window(manager)
    seated = table_state(window, 5)

    clock.now = party.end + timedelta(minutes=10, seconds=20)
    window.tick()

    assert seated is TableState.SEATED
    assert window.state.at == party.end + timedelta(minutes=10)
    assert table_state(window, 5) is TableState.OVERDUE
    shown = desk.queries.venue().venue.show_time(window.state.at)
    assert window.top.time_label.text() == f"Floor at <b>{shown}</b> (now)"


def test_a_floor_scrubbed_to_another_time_stays_there_until_now_is_pressed(
    qtbot, desk, manager, make_window, clock
):
    clock.now = tonight_at(desk, 19, 0)
    window = make_window(manager)
    window.top.shift(10)  # staff look ahead to 21:30
    looked_at = window.state.at

    clock.now = tonight_at(desk, 20, 0)
    window.tick()
    stayed = window.state.at, window.top.time_label.text()
    window.top.now_button.click()
    clock.now = tonight_at(desk, 20, 45)
    window.tick()

    assert looked_at == tonight_at(desk, 21, 30)
    assert stayed == (tonight_at(desk, 21, 30), "Floor at <b>21:30</b>")
    assert window.state.at == tonight_at(desk, 20, 45)
    assert window.top.time_label.text() == "Floor at <b>20:45</b> (now)"


def test_the_waitlist_counts_the_minutes_waited_as_they_pass_and_keeps_the_party_picked(
    qtbot, desk, manager, make_window, clock
):
    clock.now = tonight_at(desk, 20, 0)
    guest = waitlist(desk, manager, "Grace Hopper", 4, 21, 0)
    window = make_window(manager)
    panel = window.waitlist
    panel.select(guest.id)
    before = panel.model.index(0, 4).data(), panel.model.index(0, 0).data()

    clock.now = tonight_at(desk, 20, 40)
    window.tick()

    assert before == ("0 min", "0")
    assert panel.model.index(0, 4).data() == "40 min"
    assert panel.model.index(0, 0).data() == "40"  # a point a minute waited
    assert panel.selected_id() == guest.id


def test_the_timeline_keeps_now_in_view_as_it_moves_on_unless_staff_scrolled_elsewhere(
    qtbot, desk, manager, make_window, clock
):
    clock.now = tonight_at(desk, 19, 0)
    window = make_window(manager)
    window.tabs.setCurrentIndex(1)
    timeline, bar = window.timeline, window.timeline.view.horizontalScrollBar()

    def in_view(at):
        x = timeline.scene.x_of(at)
        return bar.value() < x < bar.value() + timeline.view.viewport().width()

    for minute in range(1, 121):  # two hours on, a tick a minute
        clock.now = tonight_at(desk, 19, 0) + timedelta(minutes=minute)
        window.tick()
    followed = in_view(window.state.at)
    bar.setValue(bar.maximum())  # staff look at the end of the night
    looking_at = bar.value()
    clock.now = tonight_at(desk, 21, 1)
    window.tick()

    assert followed
    assert window.state.at == tonight_at(desk, 21, 1)
    assert bar.value() == looking_at


def test_an_offer_row_stays_the_same_row_as_the_minutes_count_down(
    qtbot, desk, manager, make_window, clock
):
    ava = book(desk, manager, "Ava Wood", 4, 21, tables=(7,))
    waitlist(desk, manager, "Ben Ho", 4, 21)
    window = make_window(manager)
    with qtbot.waitSignal(window.ops.changed):
        window.commands.cancel(ava.id, "called off")
    [row] = window.waitlist.offer_rows
    before = row.label.text()

    clock.advance(minutes=3)
    window.tick()

    assert "10 min left to answer" in before
    assert window.waitlist.offer_rows == [row]  # not rebuilt under a pressed button
    assert "7 min left to answer" in row.label.text()
