"""The README's first-run, staff and data-request screenshots (scripts/screenshots.py
takes them all).

The first run is shown on a new, empty desk file; Desk → Staff… on the demo desk
as its admin, with two more people added so the list looks like a venue's; Desk → A
guest's data request… there too, a guest's data just saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.domain.customer import display_phone
from app.domain.permissions import Role
from app.models.uow import Store
from app.services.common import Clock
from app.services.desk import Desk
from app.services.first_run import FirstRun
from app.views.first_run import FirstRunDialog
from app.views.guest_request_dialog import GuestRequestDialog
from app.views.main_window import MainWindow
from app.views.staff_dialog import StaffDialog

Shoot = Callable[[QWidget, str], None]
Settle = Callable[[QApplication], None]


def shoot_first_run(
    app: QApplication, folder: Path, clock: Clock, shoot: Shoot, settle: Settle
) -> None:
    """The three choices, then "Set up my venue" part filled in, on a new desk file."""
    store = Store(folder / "new.db")
    first = FirstRun(store, clock)
    dialog = FirstRunDialog(first, folder / "new.db")
    dialog.show()
    settle(app)
    shoot(dialog, "first-run.png")

    dialog.set_up_button.click()
    page = dialog.venue
    page.name.setText("The Snug, Leeds")
    page.open_on[0].setChecked(False)  # closed on Mondays
    page.plan_example.setChecked(True)
    page.username.setText("owner")
    page.staff_name.setText("Robin Hart")
    page.pin.setText("4826")
    page.again.setText("4826")
    settle(app)
    shoot(dialog, "first-run-venue.png")
    dialog.hide()
    dialog.deleteLater()
    store.close()


def shoot_staff(
    app: QApplication, window: MainWindow, desk: Desk, shoot: Shoot, settle: Settle
) -> None:
    """Desk → Staff… as the demo's admin, jo, with a new manager just added."""
    with desk.store.read() as reader:
        found = reader.staff.by_username("jo")
    assert found is not None
    jo = found[0]
    admin = desk.staff_admin
    admin.add(jo, "chris", "Chris Doyle", Role.RECEPTION, "5151", "5151")
    left = admin.add(jo, "kim", "Kim Evans", Role.RECEPTION, "6262", "6262")
    admin.set_active(jo, left.member.id, False)
    done = admin.add(jo, "morgan", "Morgan Lee", Role.MANAGER, "7373", "7373")
    dialog = StaffDialog(admin, jo, window)
    # As the dialog stands just after Add… saved Morgan.
    dialog.select(done.member.username)
    dialog.show_result(done.message, ok=True)
    dialog.resize(660, 380)
    dialog.show()
    settle(app)
    shoot(dialog, "staff.png")
    dialog.close()


def shoot_data_request(
    app: QApplication, window: MainWindow, desk: Desk, folder: Path, shoot: Shoot, settle: Settle
) -> None:
    """Desk → A guest's data request… as the demo's admin, a guest's data just saved from
    the demo desk's own file (a desk that works alone: no server, no erasing)."""
    with desk.store.read() as reader:
        found = reader.staff.by_username("jo")
        first = reader.bookings.on_day(desk.queries.tonight())[0]
        guest = reader.customers.get(first.customer_id)
    assert found is not None and guest is not None
    dialog = GuestRequestDialog(desk.data_requests, found[0], window.ops.net, window)
    dialog.key.setText(display_phone(guest.phone))
    dialog.show()
    dialog.ask_data()
    for _ in range(100):
        settle(app)
        if dialog.file_dialog is not None:
            break
    assert dialog.file_dialog is not None, dialog.said.text()
    dialog.file_dialog.close()
    dialog.save_to(str(folder / "guest-data.json"))
    dialog.said.setText(dialog.said.text().replace(str(folder) + "/", ""))
    dialog.resize(620, 300)
    settle(app)
    shoot(dialog, "data-request.png")
    dialog.close()
