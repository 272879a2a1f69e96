from pathlib import Path

import pytest

from app.domain.booking import BookingStatus
from app.domain.errors import PermissionDenied
from app.domain.permissions import PERMISSIONS, Action, Role, Staff, status_action

ROOT = Path(__file__).resolve().parents[2]


def test_reception_can_book_seat_and_run_the_waitlist():
    sam = Staff("s", "Sam", Role.RECEPTION)

    for action in (Action.CREATE_BOOKING, Action.SEAT, Action.PROMOTE, Action.WALK_IN):
        sam.require(action)


@pytest.mark.parametrize(
    "action",
    [Action.EDIT_FLOOR_PLAN, Action.REGISTER_DESK, Action.FLAG_VIP, Action.OVERRIDE_CONFLICT],
)
def test_reception_is_refused_manager_actions_with_a_message_saying_why(action):
    with pytest.raises(PermissionDenied) as refused:
        Staff("s", "Sam", Role.RECEPTION).require(action)

    assert "Sam is signed in as reception" in str(refused.value)


def test_each_role_can_do_everything_the_role_below_it_can():
    assert PERMISSIONS[Role.RECEPTION] < PERMISSIONS[Role.MANAGER] < PERMISSIONS[Role.ADMIN]


@pytest.mark.parametrize("action", [Action.MANAGE_STAFF, Action.MANAGE_DESKS])
def test_only_admins_manage_staff_and_desks(action):
    holders = {r for r, actions in PERMISSIONS.items() if action in actions}

    assert holders == {Role.ADMIN}


def test_taking_a_party_off_the_waitlist_is_a_promotion_and_other_moves_are_their_status():
    assert status_action(BookingStatus.WAITLISTED, BookingStatus.CONFIRMED) is Action.PROMOTE
    assert status_action(BookingStatus.WAITLISTED, BookingStatus.PENDING) is Action.PROMOTE
    assert status_action(BookingStatus.PENDING, BookingStatus.CONFIRMED) is Action.CONFIRM
    assert status_action(BookingStatus.CONFIRMED, BookingStatus.WAITLISTED) is (
        Action.ADD_TO_WAITLIST
    )
    assert status_action(BookingStatus.SEATED, BookingStatus.COMPLETED) is Action.COMPLETE


def test_every_action_is_checked_somewhere_in_the_desk_or_the_server():
    sources = "\n".join(
        path.read_text()
        for root in ("app", "server")
        for path in ROOT.joinpath(root).rglob("*.py")
        if path.name != "permissions.py"
    )
    statuses = [*BookingStatus, None]
    by_status = {status_action(c, t) for c in statuses for t in BookingStatus}

    unused = [a.name for a in Action if a not in by_status and f"Action.{a.name}" not in sources]

    assert unused == []


def test_only_setting_ones_own_pin_needs_no_right_to_manage_staff():
    from dataclasses import replace

    from app.domain.staff import StaffMember, only_own_pin

    sam = StaffMember("s", "sam", "Sam Reid", Role.RECEPTION, True)

    assert only_own_pin("s", sam, sam, pin_set=True)
    assert not only_own_pin("j", sam, sam, pin_set=True), "someone else's PIN"
    assert not only_own_pin("s", sam, replace(sam, role=Role.ADMIN), pin_set=True), "a promotion"
    assert not only_own_pin("s", None, sam, pin_set=True), "adding oneself"
    assert not only_own_pin("s", sam, sam, pin_set=False)
