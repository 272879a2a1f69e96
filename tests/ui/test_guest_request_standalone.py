"""Desk → A guest's data request… on a desk that works alone: its file is all the venue
holds, so an admin saves a guest's data from it, and forgets a guest in it."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.permissions import Role
from tests.ui.conftest import book, phone_for, staff_named
from tests.ui.gestures import save_as


def the_dialog_for_ada(qtbot, desk, make_window):
    """Desk → A guest's data request…, opened by the admin, with Ada's phone typed."""
    admin = next(s for s in desk.auth.staff() if s.role is Role.ADMIN)
    window = make_window(admin)
    window.act_data_request.trigger()
    dialog = window.data_request_dialog
    qtbot.keyClicks(dialog.key, phone_for("Ada Lovelace"))
    return admin, dialog


def erase_saying_yes(qtbot, dialog):
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    yes = dialog.confirm.button(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)


def test_an_admin_saves_a_guests_data_from_the_desks_own_file(qtbot, desk, make_window, tmp_path):
    manager = staff_named(desk, "alex")
    book(desk, manager, "Ada Lovelace", 4, 20)
    book(desk, manager, "Grace Hopper", 2, 21)
    admin, dialog = the_dialog_for_ada(qtbot, desk, make_window)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.file_dialog is not None and dialog.file_dialog.isVisible())
    save_as(qtbot, dialog.file_dialog, tmp_path, "ada.json")

    out = tmp_path / "ada.json"
    qtbot.waitUntil(out.exists)
    data = json.loads(out.read_text())
    assert [c["name"] for c in data["tables"]["customer"]] == ["Ada Lovelace"]
    assert len(data["tables"]["booking"]) == 1
    assert "Grace" not in out.read_text()
    assert data["made_by"] == admin.name
    assert not dialog.username.isVisible()
    page = (tmp_path / "ada.txt").read_text()
    assert page == data["summary"] and "  Name: Ada Lovelace\n" in page and "Grace" not in page
    assert "in words for them to read to ada.txt" in dialog.said.text()


def test_an_admin_forgets_a_guest_in_the_desks_own_file_after_saying_yes(qtbot, desk, make_window):
    manager = staff_named(desk, "alex")
    ada = book(desk, manager, "Ada Lovelace", 4, 20)
    _, dialog = the_dialog_for_ada(qtbot, desk, make_window)

    erase_saying_yes(qtbot, dialog)
    qtbot.waitUntil(lambda: "still has booking" in dialog.said.text())
    assert dialog.key.text() == phone_for("Ada Lovelace")  # kept, to try again
    desk.lifecycle.cancel(manager, ada.id, "guest cancelled")
    erase_saying_yes(qtbot, dialog)

    qtbot.waitUntil(lambda: dialog.said.text().startswith("Erased 1 guest record"))
    assert "rows changed on this desk" in dialog.said.text()
    with desk.store.read() as reader:
        assert reader.customers.get(ada.customer_id).name == "Erased guest"
    assert dialog.key.text() == ""


def test_a_guest_the_desk_does_not_know_is_said_so(qtbot, desk, make_window):
    admin = next(s for s in desk.auth.staff() if s.role is Role.ADMIN)
    window = make_window(admin)

    window.act_data_request.trigger()
    dialog = window.data_request_dialog
    dialog.by.setCurrentText("Email")
    qtbot.keyClicks(dialog.key, "nobody@example.org")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "No guest of" in dialog.said.text())
    assert dialog.said.text().endswith("has the email nobody@example.org.")
    assert dialog.file_dialog is None
