"""Staff an admin adds or changes at a desk reach the server (which judges them again) and
every other desk, with the PIN travelling only as its hash; a desk that may not act for an
admin has the change refused and shown, and the person it added cannot sign in."""

from __future__ import annotations

import pytest

from app.domain.errors import PermissionDenied
from app.domain.permissions import Role
from app.services.auth import SignInFailed
from app.sync.status import SyncState
from tests.sync.world import PASSWORD, VENUE_ID, server_sql


def admin_token(http) -> str:
    answer = http.post(
        "/v1/auth/login",
        json={"venue_id": str(VENUE_ID), "username": "jo", "password": PASSWORD},
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def let_act_for_admins(http, desk) -> None:
    with desk.store.read() as reader:
        device_id = reader.device.get().id
    answer = http.post(
        f"/v1/devices/{device_id}/ceiling",
        json={"role_ceiling": "admin"},
        headers={"Authorization": f"Bearer {admin_token(http)}"},
    )
    answer.raise_for_status()


def test_staff_added_and_deactivated_at_one_desk_are_the_same_people_on_the_other(
    desks, http, sync_db
):
    office, bar = desks("Office"), desks("Bar")
    office.engine.sync_once()
    bar.engine.sync_once()
    let_act_for_admins(http, office)
    jo = office.desk.auth.sign_in("jo", "3333")
    sam = next(m for m in office.desk.staff_admin.members(jo) if m.username == "sam")

    added = office.desk.staff_admin.add(jo, "priya", "Priya Shah", Role.RECEPTION, "4821", "4821")
    office.desk.staff_admin.set_active(jo, sam.id, False)
    sent = office.engine.sync_once()
    bar.engine.sync_once()

    assert sent.state is SyncState.UP_TO_DATE
    [(username, active, pin_hash, password)] = server_sql(
        sync_db,
        "SELECT username, active, pin_hash, password_hash FROM staff WHERE id = %s",
        added.member.id,
    )
    assert (username, active) == ("priya", True)
    assert pin_hash.startswith("scrypt$") and "4821" not in pin_hash
    assert password == "!desk-only"
    assert (
        http.post(
            "/v1/auth/login",
            json={"venue_id": str(VENUE_ID), "username": "priya", "password": "4821"},
        ).status_code
        == 401
    )
    assert bar.desk.auth.sign_in("priya", "4821").name == "Priya Shah"
    with pytest.raises(SignInFailed):
        bar.desk.auth.sign_in("sam", "1111")
    assert server_sql(sync_db, "SELECT active FROM staff WHERE username = 'sam'") == [(False,)]


def test_a_desk_that_acts_for_managers_only_has_a_staff_change_refused_and_shown(desks):
    bar = desks("Bar")
    bar.engine.sync_once()
    jo = bar.desk.auth.sign_in("jo", "3333")

    bar.desk.staff_admin.add(jo, "kim", "Kim Lee", Role.MANAGER, "4821", "4821")
    bar.engine.sync_once()

    [refusal] = bar.desk.refusals.unacknowledged()
    assert "acts for staff up to manager" in refusal.reason
    with pytest.raises(SignInFailed):
        bar.desk.auth.sign_in("kim", "4821")


def test_the_server_refuses_to_remove_its_last_admin_whatever_a_desk_believes(desks, http, sync_db):
    office = desks("Office")
    office.engine.sync_once()
    let_act_for_admins(http, office)
    jo = office.desk.auth.sign_in("jo", "3333")
    office.desk.staff_admin.add(jo, "kim", "Kim Lee", Role.ADMIN, "4821", "4821")
    office.engine.sync_once()
    kim = office.desk.auth.sign_in("kim", "4821")

    office.desk.staff_admin.set_active(kim, jo.id, False)
    sent = office.engine.sync_once()

    assert sent.state is SyncState.UP_TO_DATE
    assert server_sql(sync_db, "SELECT active FROM staff WHERE username = 'jo'") == [(False,)]
    with pytest.raises(Exception, match="last active admin"):
        office.desk.staff_admin.set_active(kim, kim.id, False)


def test_a_pin_someone_changed_for_themself_reaches_every_desk_and_is_never_put_back(
    desks, http, sync_db
):
    office, bar = desks("Office"), desks("Bar")
    office.engine.sync_once()
    bar.engine.sync_once()
    let_act_for_admins(http, office)
    sam = bar.desk.auth.sign_in("sam", "1111")  # reception: no right to manage staff

    said = bar.desk.staff_admin.change_pin(sam, "1111", "905127", "905127")
    bar.engine.sync_once()
    office.engine.sync_once()
    # Later an admin changes Sam's role at the other desk; the pull carries Sam's row back.
    jo = office.desk.auth.sign_in("jo", "3333")
    office.desk.staff_admin.edit(jo, sam.id, "Sam Patel", Role.MANAGER)
    office.engine.sync_once()
    bar.engine.sync_once()

    assert said == f"{sam.name}'s PIN was changed."
    assert bar.desk.refusals.unacknowledged() == []
    for desk in (bar, office):
        assert desk.desk.auth.sign_in("sam", "905127").role is Role.MANAGER
        with pytest.raises(SignInFailed):
            desk.desk.auth.sign_in("sam", "1111")


def test_reception_cannot_set_someone_elses_pin(desks):
    bar = desks("Bar")
    bar.engine.sync_once()
    sam = bar.desk.auth.sign_in("sam", "1111")
    jo = bar.desk.auth.sign_in("jo", "3333")

    with pytest.raises(PermissionDenied):
        bar.desk.staff_admin.reset_pin(sam, jo.id, "905127", "905127")

    assert bar.desk.auth.sign_in("jo", "3333").name == jo.name
    assert bar.pending() == 0
