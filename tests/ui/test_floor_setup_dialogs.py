"""The manager's Areas… and Combinations… dialogs in edit mode, on a real desk file."""

from __future__ import annotations

from app.views.main_window import MainWindow
from tests.ui.conftest import book
from tests.ui.gestures import drag, table_centre


def table_id(desk, number):
    return desk.queries.venue().plan.table_by_number(number).id


def editing(make_window, staff) -> MainWindow:
    window = make_window(staff)
    assert window.floor.set_edit_mode(True)
    return window


def test_a_manager_adds_an_area_in_the_areas_dialog_and_it_is_stored(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    window.floor.setup.act_areas.trigger()
    dialog = window.floor.setup.areas_dialog
    dialog.new_area()
    dialog.name.setText("Terrace")
    dialog.vip.setChecked(True)

    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()

    terrace = next(a for a in desk.queries.venue().plan.areas if a.name == "Terrace")
    assert terrace.vip
    assert dialog.status.text() == "Area Terrace added."
    listed = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert "Terrace  ★ VIP · no tables" in listed
    assert "VIP Snug  ★ VIP · table 12" in listed  # one table: "table", not "tables"


def test_a_taken_area_name_is_shown_next_to_the_name_and_nothing_is_stored(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    dialog = window.floor.setup.open_areas()
    dialog.pick("Main Bar")
    dialog.name.setText("booths")
    pending = desk.queries.pending_intents()

    with qtbot.waitSignal(window.ops.refused):
        dialog.save_button.click()

    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == "There is already an area called Booths."
    assert "Main Bar" in {a.name for a in desk.queries.venue().plan.areas}
    assert desk.queries.pending_intents() == pending


def test_removing_an_area_with_tables_names_them_and_keeps_the_area(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    dialog = window.floor.setup.open_areas()
    dialog.pick("Booths")

    with qtbot.waitSignal(window.ops.refused):
        dialog.remove_button.click()

    assert dialog.problem.isVisible()
    assert "Booths still has tables 7, 8, 9, 10, 11" in dialog.problem.text()
    assert "Booths" in {a.name for a in desk.queries.venue().plan.areas}


def test_the_tables_selected_on_the_floor_are_proposed_as_a_combination_and_created(
    qtbot, desk, manager, reception, make_window
):
    window = editing(make_window, manager)
    for number in (4, 5):
        window.floor.scene.items_by_id[table_id(desk, number)].setSelected(True)
    window.floor.setup.act_combinations.trigger()
    dialog = window.floor.setup.combinations_dialog

    proposal = (dialog.heading.text(), dialog.min_party.value(), dialog.max_party.value())
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()
    window.new_booking()
    window.form.party.setValue(7)
    window.form.refresh_options()
    seven = book(desk, reception, "Ada Lovelace", 7, 21)

    assert proposal == ("Create a combination of 4 + 5 for parties of …", 5, 8)
    assert dialog.status.text() == "Tables 4 + 5 combine for parties of 5–8."
    assert window.form.save_button.text() == "Confirm at tables 4 + 5"
    assert desk.queries.venue().plan.numbers(seven.table_ids) == "4 + 5"


def test_a_range_the_tables_cannot_seat_is_shown_next_to_the_parties_and_nothing_is_stored(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    dialog = window.floor.setup.open_combinations([table_id(desk, 3), table_id(desk, 4)])
    dialog.max_party.setValue(8)
    pending = desk.queries.pending_intents()

    with qtbot.waitSignal(window.ops.refused):
        dialog.save_button.click()

    assert dialog.errors["party"].isVisible()
    assert "Tables 3 + 4 seat 6 at most" in dialog.errors["party"].text()
    assert len(desk.queries.venue().plan.combinations) == 1
    assert desk.queries.pending_intents() == pending


def test_an_upside_down_range_or_a_single_table_is_refused_before_anything_is_sent(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    dialog = window.floor.setup.open_combinations([table_id(desk, 4), table_id(desk, 5)])
    dialog.min_party.setValue(8)
    dialog.max_party.setValue(5)

    dialog.save_button.click()
    upside_down = dialog.errors["party"].text()
    dialog.check([table_id(desk, 4)])
    dialog.min_party.setValue(2)
    dialog.save_button.click()

    assert "party range must be 1 ≤ min ≤ max" in upside_down
    assert "needs at least two tables" in dialog.errors["tables"].text()
    assert not window.ops.db.busy
    assert len(desk.queries.venue().plan.combinations) == 1


def test_dragging_table_4_onto_5_in_edit_mode_offers_to_combine_them_and_moves_nothing(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    before = desk.queries.venue().plan.table_by_number(4)

    with qtbot.waitSignal(window.floor.scene.join_proposed):
        drag(window.floor.view, table_centre(window, 4), table_centre(window, 5))

    dialog = window.floor.setup.combinations_dialog
    assert dialog.isVisible()
    assert dialog.heading.text() == "Create a combination of 4 + 5 for parties of …"
    assert table_centre(window, 4).x() == before.x + before.width / 2
    assert desk.queries.venue().plan.table_by_number(4) == before


def test_dragging_15_onto_16_in_edit_mode_shows_the_combination_that_already_joins_them(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)

    with qtbot.waitSignal(window.floor.scene.join_proposed):
        drag(window.floor.view, table_centre(window, 15), table_centre(window, 16))

    dialog = window.floor.setup.combinations_dialog
    assert dialog.heading.text() == "Tables 15 + 16 already combine for parties of 7–12."
    assert (dialog.min_party.value(), dialog.max_party.value()) == (7, 12)


def test_undo_retires_a_combination_just_made_and_redo_brings_it_back(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    dialog = window.floor.setup.open_combinations([table_id(desk, 4), table_id(desk, 5)])
    with qtbot.waitSignal(window.ops.changed):
        dialog.save_button.click()

    with qtbot.waitSignal(window.ops.changed):
        window.floor.act_undo.trigger()
    undone = [c.name for c in desk.queries.venue().plan.combinations]
    with qtbot.waitSignal(window.ops.changed):
        window.floor.act_redo.trigger()

    assert undone == ["15 + 16"]
    assert sorted(c.name for c in desk.queries.venue().plan.combinations) == ["15 + 16", "4 + 5"]
    assert window.floor.act_undo.text() == "Undo Tables 4 + 5 combine for parties of 5–8"


def test_retiring_a_combination_a_booking_relies_on_names_the_booking_and_keeps_it(
    qtbot, desk, manager, make_window
):
    nine = book(desk, manager, "Big Table", 9, 21)
    window = editing(make_window, manager)
    dialog = window.floor.setup.open_combinations([table_id(desk, 15), table_id(desk, 16)])

    with qtbot.waitSignal(window.ops.refused):
        dialog.retire_button.click()

    assert nine.reference[:4] in dialog.problem.text()
    assert "relies on this combination" in dialog.problem.text()
    assert len(desk.queries.venue().plan.combinations) == 1


def test_reception_is_not_offered_areas_or_combinations(qtbot, reception, make_window):
    window = make_window(reception)

    offered = [a.text() for a in window.actions() if a.isVisible()]
    offered += [a.text() for a in window.floor.setup.actions if a.isVisible()]

    assert "Areas…" not in offered
    assert "Combinations…" not in offered
