"""Who may do what: one table of roles to the use cases they may run."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    ADD_TO_WAITLIST = "add to the waitlist"
    PROMOTE = "promote from the waitlist"
    RESOLVE_CONFLICT = "resolve a conflict"
    OVERRIDE_CONFLICT = "keep both sides of a conflict"
    EDIT_FLOOR_PLAN = "edit the floor plan"
    REOPTIMISE = "re-arrange the night"
    WAIVE_DEPOSIT = "waive a deposit"
    REFUND = "refund a deposit"
    FLAG_VIP = "flag a VIP"
    VIEW_REPORTS = "see reports"
    MANAGE_STAFF = "manage staff"
    DATA_PROTECTION = "handle data-protection requests"


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
        A.ADD_TO_WAITLIST,
        A.PROMOTE,
        A.RESOLVE_CONFLICT,
    }
)
_MANAGER = _RECEPTION | {
    A.OVERRIDE_CONFLICT,
    A.EDIT_FLOOR_PLAN,
    A.REOPTIMISE,
    A.WAIVE_DEPOSIT,
    A.REFUND,
    A.FLAG_VIP,
    A.VIEW_REPORTS,
}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.RECEPTION: _RECEPTION,
    Role.MANAGER: _MANAGER,
    Role.ADMIN: _MANAGER | {A.MANAGE_STAFF, A.DATA_PROTECTION},
}


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
