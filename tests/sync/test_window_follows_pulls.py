"""An open window shows what its desk pulled from the server without a local change."""

from __future__ import annotations

from app.domain.permissions import Role
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.views.main_window import MainWindow
from tests.sync.test_deposits_at_the_bar import eight_tonight
from tests.sync.world import SyncDesk


def test_a_booking_made_at_another_desk_appears_in_the_list_after_a_pull(qtbot, desks):
    bar: SyncDesk = desks("Bar")
    office: SyncDesk = desks("Office")
    connected = Desk(bar.store, bar.clock, DeskSync.of_engine(bar.engine))
    window = MainWindow(connected, bar.staff(Role.MANAGER))
    qtbot.addWidget(window)
    before = window.bookings.model.rowCount()

    booking_id = eight_tonight(office)
    office.engine.sync_once()
    bar.engine.sync_once()

    qtbot.waitUntil(lambda: window.bookings.model.row_of(booking_id) >= 0)
    assert window.bookings.model.rowCount() == before + 1
    window.ops.stop()
