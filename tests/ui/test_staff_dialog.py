"""Desk → Staff…: only an admin is offered it; the admin adds, edits, deactivates and
reactivates staff and resets PINs; a refusal is shown in the dialog and changes nothing."""

from __future__ import annotations

import pytest

from app.services.auth import SignInFailed
from tests.ui.conftest import staff_named


@pytest.fixture
def admin(desk):
    return staff_named(desk, "jo")


@pytest.fixture
def dialog(qtbot, admin, make_window):
    window = make_window(admin)
    window.act_staff.trigger()
    return window.staff_dialog


def rows(dialog):
    table = dialog.table
    return [
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    ]


def test_only_an_admin_is_offered_the_staff_dialog(qtbot, manager, reception, admin, make_window):
    shown = {s.name: make_window(s).act_staff.isVisible() for s in (reception, manager, admin)}

    assert shown == {"Sam Reid": False, "Alex Moore": False, "Jo Patel": True}


def test_the_dialog_lists_each_member_with_username_role_and_state(dialog):
    assert rows(dialog) == [
        ("Alex Moore", "alex", "manager", "yes"),
        ("Jo Patel", "jo", "admin", "yes"),
        ("Sam Reid", "sam", "reception", "yes"),
    ]
    assert not dialog.edit.isEnabled()


def test_an_admin_adds_someone_who_can_then_sign_in(qtbot, desk, dialog):
    dialog.add.click()
    form = dialog.form
    form.username.setText("Priya")
    form.name.setText("Priya Shah")
    form.roles.setCurrentIndex(form.roles.findText("manager"))
    form.pin.setText("4821")
    form.again.setText("4821")

    assert form.try_save()

    assert ("Priya Shah", "priya", "manager", "yes") in rows(dialog)
    assert "Added Priya Shah (priya) as manager" in dialog.message.text()
    assert desk.auth.sign_in("priya", "4821").role.value == "manager"


def test_a_taken_username_is_refused_in_the_form_which_stays_open(qtbot, desk, dialog):
    dialog.add.click()
    form = dialog.form
    form.username.setText("SAM")
    form.name.setText("Sam Two")
    form.pin.setText("4821")
    form.again.setText("4821")

    saved = form.try_save()

    assert not saved and form.isVisible()
    assert "'sam' is already Sam Reid's username" in form.error.text()
    assert form.pin.text() == "" and len(rows(dialog)) == 3


def test_deactivate_and_reactivate_from_the_selected_row(qtbot, desk, dialog):
    dialog.select("sam")
    dialog.active.click()

    assert ("Sam Reid", "sam", "reception", "no") in rows(dialog)
    assert dialog.active.text() == "Reactivate"
    with pytest.raises(SignInFailed):
        desk.auth.sign_in("sam", "1111")
    dialog.active.click()
    assert desk.auth.sign_in("sam", "1111").name == "Sam Reid"


def test_the_last_admin_cannot_deactivate_themself_and_is_told_why(qtbot, desk, dialog):
    dialog.select("jo")
    dialog.active.click()

    assert "Jo Patel is the venue's last active admin" in dialog.message.text()
    assert ("Jo Patel", "jo", "admin", "yes") in rows(dialog)


def test_edit_a_role_and_reset_a_pin(qtbot, desk, dialog):
    dialog.select("sam")
    dialog.edit.click()
    edit = dialog.form
    assert edit.username.isReadOnly() and edit.name.text() == "Sam Reid"
    edit.roles.setCurrentIndex(edit.roles.findText("manager"))
    assert edit.try_save()
    dialog.select("sam")
    dialog.reset.click()
    reset = dialog.form
    reset.pin.setText("90817")
    reset.again.setText("90818")
    refused = reset.try_save()
    reset.pin.setText("90817")
    reset.again.setText("90817")

    assert not refused and "The two new PINs differ" in reset.error.text()
    assert reset.try_save()
    assert "Sam Reid's PIN was reset" in dialog.message.text()
    assert desk.auth.sign_in("sam", "90817").role.value == "manager"
