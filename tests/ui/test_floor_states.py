import sqlite3

from app.services.queries import TableState
from tests.ui.conftest import book, tonight_at


def item(window, number):
    plan = window.floor.plan
    return window.floor.scene.items_by_id[plan.table_by_number(number).id]


def test_the_time_scrubber_shows_the_floor_at_the_chosen_time(qtbot, desk, manager, make_window):
    book(desk, manager, "Ada Lovelace", 4, 22, 0, tables=(5,))
    window = make_window(manager)

    window.state.set_time(tonight_at(desk, 19, 0))
    at_seven = item(window, 5).state
    window.top.scrubber.setValue(window.top.scrubber.value() + 10)  # ten 15-minute steps
    at_half_nine = item(window, 5).state
    window.state.set_time(tonight_at(desk, 22, 30))

    assert (at_seven, at_half_nine, item(window, 5).state) == (
        TableState.FREE,
        TableState.BOOKED_SOON,
        TableState.RESERVED,
    )
    assert window.top.time_label.text() == "Floor at <b>22:30</b>"


def test_hovering_a_booked_table_shows_its_booking(qtbot, desk, manager, make_window):
    booking = book(desk, manager, "Ada Lovelace", 4, 21, 0, tables=(5,))
    window = make_window(manager)

    window.state.set_time(tonight_at(desk, 21, 15))
    tip = item(window, 5).toolTip()

    assert "Table 5 · seats 2–4" in tip
    assert "Ada Lovelace — party of 4" in tip
    assert "21:00–23:00, confirmed, table 5" in tip
    ref = booking.reference
    assert f"Ref {ref[:4]}-{ref[4:8]}-{ref[8:]}" in tip  # in the groups staff read out


def test_hovering_a_joined_table_names_both_tables(qtbot, desk, manager, make_window):
    book(desk, manager, "Big Table", 9, 21, 0, tables=(15, 16))
    window = make_window(manager)

    window.state.set_time(tonight_at(desk, 21, 15))

    assert ", tables 15 + 16" in item(window, 15).toolTip()


def test_a_booths_minimum_spend_is_shown_to_the_penny(qtbot, desk, manager, make_window, db_path):
    ten = desk.queries.venue().plan.table_by_number(10).id
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE dining_table SET min_spend_pence = 19950 WHERE id = ?", (ten,))

    window = make_window(manager)

    assert "Table 10 · seats 4–6 · minimum spend £199.50" in item(window, 10).toolTip()


def test_a_party_on_joined_tables_shows_against_what_the_pair_seats(
    qtbot, desk, manager, make_window
):
    book(desk, manager, "Big Table", 8, 21, 0, tables=(15, 16))
    book(desk, manager, "Ada Lovelace", 3, 21, 0, tables=(5,))
    window = make_window(manager)

    window.state.set_time(tonight_at(desk, 21, 15))

    pair = (item(window, 15).party, item(window, 15).seats, item(window, 16).seats)
    assert pair == (8, 12, 12)  # 15 + 16 combine for 7–12: "8 of 12", not "8 of 6"
    assert (item(window, 5).party, item(window, 5).seats) == (3, 4)
