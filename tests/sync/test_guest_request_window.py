"""Desk → A guest's data request…: an admin saves a guest's data and erases them from
the window, against the real server over HTTP (uvicorn), with the real desk file."""

from __future__ import annotations

import json

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.views.main_window import MainWindow
from server.settings import Settings
from tests.server.uvicorn_server import serving
from tests.sync.world import EVENING, PASSWORD, TABLE, SyncDesk
from tests.ui.gestures import save_as


@pytest.fixture
def desk(sync_db, server_clock, tmp_path):
    with (
        serving(Settings(database_url=sync_db), server_clock) as url,
        httpx.Client(base_url=url) as http,
    ):
        opened = SyncDesk.open(tmp_path / "reception.sqlite3", http)
        yield opened
        opened.close()


def ada(desk, *, cancelled=True):
    booking = desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace", phone="07911 123456", party_size=4, start=EVENING,
            duration_minutes=120, table_ids=(str(TABLE[7]),), occasion="Her 30th",
        ),
    ).booking  # fmt: skip
    if cancelled:
        desk.desk.lifecycle.cancel(desk.staff(Role.RECEPTION), booking.id, "guest cancelled")
    desk.engine.sync_once()
    return booking


def dialog_for(qtbot, desk, role=Role.ADMIN):
    window = MainWindow(
        Desk(desk.store, desk.clock, DeskSync.of_engine(desk.engine)), desk.staff(role)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.act_data_request.trigger()
    dialog = window.data_request_dialog
    dialog.by.setCurrentText("Phone")
    qtbot.keyClicks(dialog.key, "07911 123456")
    assert dialog.username.text() == "jo"  # as on this desk, where jo signed in
    qtbot.keyClicks(dialog.password, PASSWORD)
    return window, dialog


def test_an_admin_saves_a_guests_data_to_a_file_only_they_can_read(qtbot, desk, tmp_path):
    ada(desk)
    _, dialog = dialog_for(qtbot, desk)
    out = tmp_path / "ada.json"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.file_dialog is not None and dialog.file_dialog.isVisible())
    save_as(qtbot, dialog.file_dialog, tmp_path, "ada.json")

    qtbot.waitUntil(lambda: out.exists())
    assert json.loads(out.read_text())["tables"]["bookings"][0]["occasion"] == "Her 30th"
    assert out.stat().st_mode & 0o777 == 0o600
    assert dialog.said.text().startswith("Saved ")
    assert "    Occasion: Her 30th" in (tmp_path / "ada.txt").read_text()


def test_an_admin_erases_a_guest_after_saying_yes_and_the_desk_forgets_her(qtbot, desk):
    booking = ada(desk)
    _, dialog = dialog_for(qtbot, desk)

    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert "This cannot be undone." in dialog.confirm.text()
    qtbot.mouseClick(
        dialog.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.said.text().startswith("Erased 1 guest record"))
    desk.engine.sync_once()

    with desk.store.read() as reader:
        assert reader.customers.get(booking.customer_id).name == "Erased guest"
    assert desk.bookings()[booking.id]["occasion"] == ""


def test_cancelling_the_question_erases_nothing(qtbot, desk):
    booking = ada(desk)
    _, dialog = dialog_for(qtbot, desk)

    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        dialog.confirm.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    desk.engine.sync_once()

    assert not dialog.busy.isVisible()
    with desk.store.read() as reader:
        assert reader.customers.get(booking.customer_id).name == "Ada Lovelace"


def test_a_guest_with_a_booking_to_come_is_refused_in_the_servers_words(qtbot, desk):
    ada(desk, cancelled=False)
    _, dialog = dialog_for(qtbot, desk)

    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        dialog.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
    )

    qtbot.waitUntil(lambda: "still has booking" in dialog.said.text())
    assert "Nothing was changed." in dialog.said.text()
    assert dialog.erase_button.isEnabled()


def test_a_mistyped_phone_is_refused_at_the_desk_before_the_server_is_asked(qtbot, desk):
    _, dialog = dialog_for(qtbot, desk)
    dialog.key.setText("call me")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.said.text() == "'call me' is not a phone number."
    assert dialog.file_dialog is None


def test_only_admins_are_offered_the_request(qtbot, desk):
    for role, offered in ((Role.RECEPTION, False), (Role.MANAGER, False), (Role.ADMIN, True)):
        window = MainWindow(
            Desk(desk.store, desk.clock, DeskSync.of_engine(desk.engine)), desk.staff(role)
        )
        qtbot.addWidget(window)
        assert window.act_data_request.isVisible() is offered, role
