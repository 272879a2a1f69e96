"""Who may do what: one table of roles to the actions they may take.

Every check goes through it: the desk's use cases (``Staff.require``), the
server's judges of each intent, and its HTTP endpoints (``server.deps.require``).
An action is listed only once something checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.booking import BookingStatus
from app.domain.errors import PermissionDenied


class Role(StrEnum):
    RECEPTION = "reception"
    MANAGER = "manager"
    ADMIN = "admin"


class Action(StrEnum):
    CREATE_BOOKING = "create booking"
    WALK_IN = "seat a walk-in"
    CONFIRM = "confirm a booking"
    SEAT = "seat a booking"
    COMPLETE = "complete a booking"
    CANCEL = "cancel a booking"
    NO_SHOW = "mark a no-show"
    MOVE = "move a booking"
    EDIT_DETAILS = "edit booking details"
    RECORD_SPEND = "record what a party spent"
    ADD_TO_WAITLIST = "add to the waitlist"
    PROMOTE = "promote from the waitlist"
    RESOLVE_CONFLICT = "resolve a conflict"
    OVERRIDE_CONFLICT = "keep both sides of a conflict"
    EDIT_FLOOR_PLAN = "edit the floor plan"
    REOPTIMISE = "re-arrange the night"
    FLAG_VIP = "flag a VIP"
    REGISTER_DESK = "connect a desk to the server"
    SEE_STAFF = "see the venue's staff"
    MANAGE_STAFF = "manage staff"
    MANAGE_DESKS = "manage the venue's desks"
    RESTORE_BACKUP = "restore the desk from a backup"
    RECORD_PAST_BOOKING = "record a past booking"
    TAKE_DEPOSIT = "record a deposit paid in person"
    WAIVE_DEPOSIT = "waive a deposit"
    REQUEST_DEPOSIT = "send a deposit payment link"
    RESEND_DEPOSIT_LINK = "send a payment link to the guest again"
    CLAIM_DEPOSIT = "claim a no-show's deposit"
    REFUND_DEPOSIT = "refund a deposit"
    VIEW_REPORTS = "review the night's figures and the audit log"
    TEXT_GUEST = "text a guest"
    RESEND_MESSAGE = "send a guest message again"
    # A guest's data-protection request: the admins answer them (docs/data-protection.md).
    ANSWER_DATA_REQUEST = "answer a guest's request for their data"
    # The venue's price list for a booking: its deposits and the packages it sells.
    SET_PRICES = "set the venue's deposits and packages"


A = Action
_RECEPTION = frozenset(
    {
        A.CREATE_BOOKING,
        A.WALK_IN,
        A.CONFIRM,
        A.SEAT,
        A.COMPLETE,
        A.CANCEL,
        A.NO_SHOW,
        A.MOVE,
        A.EDIT_DETAILS,
        # Reception is at the till's side when the party leaves (app.domain.spend).
        A.RECORD_SPEND,
        A.ADD_TO_WAITLIST,
        A.PROMOTE,
        A.RESOLVE_CONFLICT,
        A.TAKE_DEPOSIT,
        # Reception takes the phone bookings, so it sends their links; moving money
        # back (refunds, claims) stays with managers.
        A.REQUEST_DEPOSIT,
        # Reception answers the guests: it texts them, and sends again what failed
        # (the words are the venue's or the person's own; no money moves).
        A.TEXT_GUEST,
        A.RESEND_MESSAGE,
    }
)
_MANAGER = _RECEPTION | {
    A.OVERRIDE_CONFLICT,
    A.EDIT_FLOOR_PLAN,
    A.REOPTIMISE,
    A.FLAG_VIP,
    A.REGISTER_DESK,
    A.SEE_STAFF,
    A.RESTORE_BACKUP,
    A.RECORD_PAST_BOOKING,
    A.WAIVE_DEPOSIT,
    A.CLAIM_DEPOSIT,
    A.REFUND_DEPOSIT,
    # Sending the guest the same link again is a manager's call (issue 14).
    A.RESEND_DEPOSIT_LINK,
    A.VIEW_REPORTS,
    A.SET_PRICES,
}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.RECEPTION: _RECEPTION,
    Role.MANAGER: _MANAGER,
    Role.ADMIN: _MANAGER | {A.MANAGE_STAFF, A.MANAGE_DESKS, A.ANSWER_DATA_REQUEST},
}

# Who stands above whom: a desk may act for staff up to its ceiling.
RANK = {Role.RECEPTION: 0, Role.MANAGER: 1, Role.ADMIN: 2}


def ceiling_for(registrar: Role, asked: Role | None) -> Role:
    """A new desk's role ceiling: what its registrar asked for, never above their own role;
    by default their role, but a manager's at most (admin work is done online)."""
    if asked is not None:
        if RANK[asked] > RANK[registrar]:
            raise PermissionDenied(
                f"A {registrar.value} cannot let a desk act for a {asked.value}; ask an admin."
            )
        return asked
    return registrar if RANK[registrar] <= RANK[Role.MANAGER] else Role.MANAGER


def refuse_above_ceiling(staff: Staff, ceiling: Role) -> None:
    """An intent naming someone above what the desk may act for is refused."""
    if RANK[staff.role] > RANK[ceiling]:
        raise PermissionDenied(
            f"This desk acts for staff up to {ceiling.value}; {staff.name} is "
            f"{staff.role.value}. An admin can raise the desk's ceiling."
        )


S = BookingStatus
_STATUS_ACTIONS = {
    S.PENDING: A.CONFIRM,
    S.CONFIRMED: A.CONFIRM,
    S.SEATED: A.SEAT,
    S.COMPLETED: A.COMPLETE,
    S.CANCELLED: A.CANCEL,
    S.NO_SHOW: A.NO_SHOW,
    S.WAITLISTED: A.ADD_TO_WAITLIST,
    # Only the server puts a booking in conflict; asking to is refused by the rules.
    S.CONFLICT: A.RESOLVE_CONFLICT,
}


def status_action(current: BookingStatus | None, target: BookingStatus) -> Action:
    """The action a status change is: taking a party off the waitlist is a promotion."""
    if current is S.WAITLISTED and target in (S.PENDING, S.CONFIRMED):
        return A.PROMOTE
    return _STATUS_ACTIONS[target]


@dataclass(frozen=True, slots=True)
class Staff:
    id: str
    name: str
    role: Role

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def require(self, action: Action) -> None:
        if not self.may(action):
            raise PermissionDenied(
                f"{self.name} is signed in as {self.role.value}, who may not {action.value}."
            )
