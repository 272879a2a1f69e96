import pytest

from app.domain.errors import PermissionDenied
from app.domain.permissions import PERMISSIONS, Action, Role, Staff


def test_reception_can_book_seat_and_run_the_waitlist():
    sam = Staff("s", "Sam", Role.RECEPTION)

    for action in (Action.CREATE_BOOKING, Action.SEAT, Action.PROMOTE, Action.WALK_IN):
        sam.require(action)


@pytest.mark.parametrize(
    "action",
    [Action.EDIT_FLOOR_PLAN, Action.WAIVE_DEPOSIT, Action.REFUND, Action.OVERRIDE_CONFLICT],
)
def test_reception_is_refused_manager_actions_with_a_message_saying_why(action):
    with pytest.raises(PermissionDenied) as refused:
        Staff("s", "Sam", Role.RECEPTION).require(action)

    assert "Sam is signed in as reception" in str(refused.value)


def test_each_role_can_do_everything_the_role_below_it_can():
    assert PERMISSIONS[Role.RECEPTION] < PERMISSIONS[Role.MANAGER] < PERMISSIONS[Role.ADMIN]


def test_only_admins_manage_staff_and_data_protection_requests():
    holders = {r for r, actions in PERMISSIONS.items() if Action.DATA_PROTECTION in actions}

    assert holders == {Role.ADMIN}
