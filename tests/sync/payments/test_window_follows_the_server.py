"""The open window follows what the desk pulls: a deposit paid online turns "paid" in the
bookings list without anyone touching the desk (docs/payments.md, "Try it")."""

from __future__ import annotations

from app.domain.permissions import Role
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.views.main_window import MainWindow
from tests.sync.test_deposits_at_the_bar import eight_tonight
from tests.sync.world import SyncDesk

DEPOSIT = 5


def deposit_shown(window: MainWindow, booking_id: str) -> str:
    listed = window.bookings.model
    return str(listed.index(listed.row_of(booking_id), DEPOSIT).data())


def test_the_bookings_list_turns_paid_when_the_guest_pays_and_the_desk_pulls(
    qtbot, desks, relay, stripe_fake
):
    reception: SyncDesk = desks("Reception")
    booking_id = eight_tonight(reception)
    reception.desk.links.request_link(reception.staff(Role.RECEPTION), booking_id)
    reception.engine.sync_once()
    connected = Desk(reception.store, reception.clock, DeskSync.of_engine(reception.engine))
    window = MainWindow(connected, reception.staff(Role.MANAGER))
    qtbot.addWidget(window)
    before = deposit_shown(window, booking_id)
    view = reception.desk.queries.booking(booking_id)
    assert view is not None and view.link is not None and view.link.url

    stripe_fake.pay(view.link.url.rsplit("/", 1)[-1])
    stripe_fake.deliver()
    reception.engine.sync_once()

    assert before == "£80.00 owed (link sent)"
    qtbot.waitUntil(lambda: deposit_shown(window, booking_id).startswith("£80.00 paid"))
    window.ops.stop()
