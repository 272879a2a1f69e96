"""The manager's Table… dialog in edit mode: a table's details, on a real desk file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.floorplan import Shape
from tests.ui.conftest import book
from tests.ui.gestures import table_centre


def editing(make_window, staff):
    window = make_window(staff)
    assert window.floor.set_edit_mode(True)
    return window


def double_click(window, number):
    view = window.floor.view
    point = view.mapFromScene(table_centre(window, number))
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_a_manager_double_clicks_table_7_and_makes_it_a_booth_for_six_with_a_150_minimum(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    double_click(window, 7)
    dialog = window.floor.table_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.number.value(), dialog.max_covers.value()) == (7, 4)
    dialog.name.setText("  The   Snug ")
    dialog.max_covers.setValue(6)
    dialog.min_spend.setText("£150")
    pending = desk.queries.pending_intents()

    with qtbot.waitSignal(window.ops.changed):
        dialog.save()

    seven = desk.queries.venue().plan.table_by_number(7)
    assert (seven.name, seven.min_covers, seven.max_covers) == ("The Snug", 2, 6)
    assert seven.min_spend_pence == 15_000
    assert seven.shape is Shape.BOOTH
    assert not dialog.isVisible()
    assert desk.queries.pending_intents() == pending + 1
    assert "minimum spend £150.00" in window.floor.scene.items_by_id[seven.id].toolTip()


def test_undo_puts_the_tables_details_back_as_they_were(qtbot, desk, manager, make_window):
    window = editing(make_window, manager)
    dialog = window.floor.open_table(desk.queries.venue().plan.table_by_number(4).id)
    dialog.number.setValue(40)
    dialog.min_spend.setText("80.50")
    with qtbot.waitSignal(window.ops.changed):
        dialog.save()

    with qtbot.waitSignal(window.ops.changed):
        window.floor.act_undo.trigger()

    plan = desk.queries.venue().plan
    assert plan.table_by_number(4).min_spend_pence == 0
    assert 40 not in {t.number for t in plan.active_tables()}
    assert window.floor.act_redo.text() == "Redo Edit table 40"


def test_a_table_cut_below_the_party_booked_on_it_is_refused_in_the_dialog_and_kept(
    qtbot, desk, manager, make_window
):
    four = book(desk, manager, "Ada Lovelace", 4, 21, tables=(4,))
    window = editing(make_window, manager)
    dialog = window.floor.open_table(desk.queries.venue().plan.table_by_number(4).id)
    dialog.max_covers.setValue(2)
    dialog.min_covers.setValue(1)
    pending = desk.queries.pending_intents()

    with qtbot.waitSignal(window.ops.refused):
        dialog.save()

    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert four.reference[:4] in dialog.error.text()
    assert "party of 4" in dialog.error.text()
    assert "relies on Table 4; move it first." in dialog.error.text()
    assert desk.queries.venue().plan.table_by_number(4).max_covers == 4
    assert desk.queries.pending_intents() == pending
    assert dialog.max_covers.value() == 2  # what was typed stays, to correct


def test_words_for_a_minimum_spend_or_a_taken_number_are_refused_before_anything_is_stored(
    qtbot, desk, manager, make_window
):
    window = editing(make_window, manager)
    dialog = window.floor.open_table(desk.queries.venue().plan.table_by_number(4).id)
    pending = desk.queries.pending_intents()

    dialog.min_spend.setText("lots")
    dialog.save()
    words = dialog.error.text()
    dialog.min_spend.setText("0")
    dialog.number.setValue(5)
    with qtbot.waitSignal(window.ops.refused):
        dialog.save()

    assert words == "“lots” is not an amount in pounds, e.g. 80.00."
    assert dialog.error.text() == "Another table is already number 5."
    assert desk.queries.pending_intents() == pending


def test_outside_edit_mode_a_double_click_opens_no_table_details(qtbot, manager, make_window):
    window = make_window(manager)

    double_click(window, 7)

    assert window.floor.table_dialog is None
    assert window.floor.open_table(window.floor.plan.table_by_number(7).id) is None


def test_removing_a_table_a_party_is_booked_on_is_refused_naming_them_and_it_stays(
    qtbot, desk, manager, make_window
):
    four = book(desk, manager, "Ada Lovelace", 4, 21, tables=(4,))
    window = editing(make_window, manager)
    table = desk.queries.venue().plan.table_by_number(4)
    window.floor.scene.items_by_id[table.id].setSelected(True)

    with qtbot.waitSignal(window.ops.refused):
        window.floor.act_remove.trigger()

    assert desk.queries.venue().plan.table(table.id).active
    assert f"{four.reference[:4]}-" in window.notice.text()
    assert "relies on Table 4; move it first." in window.notice.text()
