"""An admin adds, edits, deactivates and reactivates staff and resets PINs; every change is
audited and queued for the server; a refused change changes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.domain.errors import DomainError, InvalidInput, PermissionDenied
from app.domain.permissions import Role
from app.services.auth import SignInFailed
from tests.integration.conftest import counts


@pytest.fixture
def admin(desk):
    return desk.auth.sign_in("jo", "3333")


def _queued(db_path) -> list[dict]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT body FROM outbox WHERE name = 'update_staff'").fetchall()
    return [json.loads(body) for (body,) in rows]


def _by_username(desk, admin, username):
    return next(m for m in desk.staff_admin.members(admin) if m.username == username)


def test_an_admin_adds_a_member_of_staff_who_then_signs_in_with_their_pin(desk, admin, db_path):
    added = desk.staff_admin.add(admin, " Priya ", "Priya  Shah", Role.RECEPTION, "4821", "4821")

    assert added.member.username == "priya" and added.member.name == "Priya Shah"
    assert "Added Priya Shah (priya) as reception" in added.message
    assert desk.auth.sign_in("PRIYA", "4821").name == "Priya Shah"
    [intent] = _queued(db_path)
    assert intent["args"]["username"] == "priya" and intent["args"]["role"] == "reception"
    assert intent["args"]["pin_hash"].startswith("scrypt$")
    assert "4821" not in json.dumps(intent)
    [event] = intent["audit"]
    assert event["entity"] == "staff" and event["after"]["pin"] == "set"
    assert "pin_hash" not in event["after"]


def test_a_username_is_taken_whatever_its_case_and_nothing_is_written(desk, admin, db_path):
    before = counts(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.staff_admin.add(admin, "SAM", "Another Sam", Role.RECEPTION, "4821", "4821")

    assert "'sam' is already Sam Reid's username" in str(refused.value)
    assert counts(db_path) == before


@pytest.mark.parametrize(
    ("username", "name", "pin", "again", "field"),
    [
        ("sam reid", "Sam", "4821", "4821", "username"),
        ("", "Sam", "4821", "4821", "username"),
        ("kim", "   ", "4821", "4821", "name"),
        ("kim", "Kim", "48", "48", "pin"),
        ("kim", "Kim", "4821", "4822", "again"),
    ],
)
def test_a_new_member_with_bad_details_is_refused_naming_the_field(
    desk, admin, db_path, username, name, pin, again, field
):
    before = counts(db_path)

    with pytest.raises(InvalidInput) as refused:
        desk.staff_admin.add(admin, username, name, Role.RECEPTION, pin, again)

    assert refused.value.field == field
    assert counts(db_path) == before


def test_a_manager_may_see_the_staff_but_not_change_them(desk, manager):
    assert {m.username for m in desk.staff_admin.members(manager)} == {"sam", "alex", "jo"}

    with pytest.raises(PermissionDenied, match="may not manage staff"):
        desk.staff_admin.add(manager, "kim", "Kim", Role.RECEPTION, "4821", "4821")


def test_a_deactivated_member_cannot_sign_in_until_reactivated(desk, admin, db_path):
    sam = _by_username(desk, admin, "sam")

    said = desk.staff_admin.set_active(admin, sam.id, False)

    assert said.message == "Sam Reid is deactivated and can no longer sign in."
    with pytest.raises(SignInFailed):
        desk.auth.sign_in("sam", "1111")
    assert not _by_username(desk, admin, "sam").active
    desk.staff_admin.set_active(admin, sam.id, True)
    assert desk.auth.sign_in("sam", "1111").name == "Sam Reid"
    assert [i["args"]["active"] for i in _queued(db_path)] == [False, True]


def test_an_admin_edits_a_name_and_role_and_the_audit_keeps_both(desk, admin, db_path):
    sam = _by_username(desk, admin, "sam")

    desk.staff_admin.edit(admin, sam.id, "Samuel Reid", Role.MANAGER)

    assert desk.auth.sign_in("sam", "1111").role is Role.MANAGER
    [intent] = _queued(db_path)
    event = intent["audit"][0]
    assert event["before"]["name"] == "Sam Reid" and event["after"]["name"] == "Samuel Reid"
    assert event["before"]["role"] == "reception" and event["after"]["role"] == "manager"
    assert "pin_hash" not in intent["args"]


def test_a_reset_pin_replaces_the_old_one(desk, admin):
    alex = _by_username(desk, admin, "alex")

    desk.staff_admin.reset_pin(admin, alex.id, "90817", "90817")

    assert desk.auth.sign_in("alex", "90817").name == "Alex Moore"
    with pytest.raises(SignInFailed):
        desk.auth.sign_in("alex", "2222")


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(desk, admin, db_path):
    before = counts(db_path)

    with pytest.raises(DomainError, match="Jo Patel is the venue's last active admin"):
        desk.staff_admin.edit(admin, admin.id, "Jo Patel", Role.MANAGER)
    with pytest.raises(DomainError, match="last active admin"):
        desk.staff_admin.set_active(admin, admin.id, False)

    assert counts(db_path) == before
    assert desk.auth.sign_in("jo", "3333").role is Role.ADMIN


def test_an_admin_cannot_deactivate_themself_even_with_another_admin(desk, admin, db_path):
    desk.staff_admin.add(admin, "kim", "Kim Lee", Role.ADMIN, "4821", "4821")

    with pytest.raises(DomainError, match="cannot deactivate yourself"):
        desk.staff_admin.set_active(admin, admin.id, False)

    kim = desk.auth.sign_in("kim", "4821")
    desk.staff_admin.set_active(kim, admin.id, False)
    with pytest.raises(SignInFailed):
        desk.auth.sign_in("jo", "3333")
