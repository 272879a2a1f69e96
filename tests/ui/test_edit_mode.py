from PySide6.QtCore import QPointF

from app.models.uow import Store
from app.services.desk import Desk
from tests.ui.gestures import drag, table_centre


def stored_table(db_path, clock, number):
    store = Store(db_path)
    try:
        return Desk(store, clock).queries.venue().plan.table_by_number(number)
    finally:
        store.close()


def test_a_manager_moves_a_table_in_edit_mode_and_it_stays_there_after_a_restart(
    qtbot, desk, manager, make_window, db_path, clock
):
    window = make_window(manager)
    before = desk.queries.venue().plan.table_by_number(4)
    assert window.floor.set_edit_mode(True)

    with qtbot.waitSignal(window.ops.changed):
        start = table_centre(window, 4)
        drag(window.floor.view, start, start + QPointF(43, 28))
    window.close()

    after = stored_table(db_path, clock, 4)
    assert (after.x, after.y) == (before.x + 40, before.y + 30)  # snapped to the 10-unit grid
    reopened = make_window(manager, Desk(Store(db_path), clock))
    assert table_centre(reopened, 4) == QPointF(
        after.x + after.width / 2, after.y + after.height / 2
    )


def test_undo_puts_a_moved_table_back_and_saves_that(
    qtbot, desk, manager, make_window, db_path, clock
):
    window = make_window(manager)
    before = desk.queries.venue().plan.table_by_number(4)
    window.floor.set_edit_mode(True)
    with qtbot.waitSignal(window.ops.changed):
        start = table_centre(window, 4)
        drag(window.floor.view, start, start + QPointF(60, 0))

    with qtbot.waitSignal(window.ops.changed):
        window.floor.act_undo.trigger()

    restored = stored_table(db_path, clock, 4)
    assert (restored.x, restored.y) == (before.x, before.y)


def test_outside_edit_mode_a_table_cannot_be_moved(qtbot, desk, manager, make_window):
    window = make_window(manager)
    before = table_centre(window, 4)

    drag(window.floor.view, before, before + QPointF(60, 0))

    assert table_centre(window, 4) == before


def test_reception_is_not_offered_edit_mode_and_cannot_enter_it(qtbot, reception, make_window):
    window = make_window(reception)

    entered = window.floor.set_edit_mode(True)

    assert not window.act_edit.isVisible()
    assert not entered
    assert not window.floor.scene.edit_mode


def test_a_manager_adds_and_removes_a_table_in_edit_mode(qtbot, desk, manager, make_window):
    window = make_window(manager)
    window.floor.set_edit_mode(True)
    count = len(desk.queries.venue().plan.active_tables())

    with qtbot.waitSignal(window.ops.changed):
        window.floor.act_add.trigger()
    added = desk.queries.venue().plan.table_by_number(17)
    window.floor.scene.items_by_id[added.id].setSelected(True)
    with qtbot.waitSignal(window.ops.changed):
        window.floor.act_remove.trigger()

    assert len(desk.queries.venue().plan.active_tables()) == count
    assert added.id not in window.floor.scene.items_by_id
