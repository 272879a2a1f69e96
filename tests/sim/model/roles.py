"""Who may do what (docs/architecture.md: reception, manager, admin), in the words the
server's refusal uses ("… who may not <action>.")."""

from __future__ import annotations

from typing import Any

from tests.sim.model.rows import (
    CANCELLED,
    COMPLETED,
    CONFIRMED,
    CONFLICT,
    NO_SHOW,
    PENDING,
    SEATED,
    WAITLISTED,
)
from tests.sim.model.state import Refused, StaffMember

CREATE, WALK_IN, WAITLIST = "create booking", "seat a walk-in", "add to the waitlist"
CONFIRM, SEAT, COMPLETE = "confirm a booking", "seat a booking", "complete a booking"
CANCEL, NO_SHOW_ACTION, PROMOTE = "cancel a booking", "mark a no-show", "promote from the waitlist"
MOVE, EDIT, RESOLVE = "move a booking", "edit booking details", "resolve a conflict"
OVERRIDE, FLOOR, FLAG_VIP = "keep both sides of a conflict", "edit the floor plan", "flag a VIP"
SPEND = "record what a party spent"
PRICES = "set the venue's deposits and packages"
TAKE_DEPOSIT, WAIVE_DEPOSIT = "record a deposit paid in person", "waive a deposit"
# Reception takes the phone bookings, so it sends their payment links (docs/payments.md).
REQUEST_DEPOSIT = "send a deposit payment link"
REFUND_DEPOSIT = "refund a deposit"

RECEPTION = frozenset(
    {CREATE, WALK_IN, CONFIRM, SEAT, COMPLETE, CANCEL, NO_SHOW_ACTION, MOVE, EDIT}
    | {WAITLIST, PROMOTE, RESOLVE, SPEND, TAKE_DEPOSIT, REQUEST_DEPOSIT}
)
MANAGER = RECEPTION | {OVERRIDE, FLOOR, FLAG_VIP, PRICES, WAIVE_DEPOSIT, REFUND_DEPOSIT}
MAY = {"reception": RECEPTION, "manager": MANAGER, "admin": MANAGER}

# Setting a status is the action of the status it goes to (promotion off the waitlist aside).
STATUS_ACTION = {
    PENDING: CONFIRM,
    CONFIRMED: CONFIRM,
    SEATED: SEAT,
    COMPLETED: COMPLETE,
    CANCELLED: CANCEL,
    NO_SHOW: NO_SHOW_ACTION,
    WAITLISTED: WAITLIST,
    CONFLICT: RESOLVE,
}


def status_action(current: str | None, target: str) -> str:
    if current == WAITLISTED and target in (PENDING, CONFIRMED):
        return PROMOTE
    return STATUS_ACTION.get(target, CONFIRM)


def create_action(status: Any) -> str:
    return {WAITLISTED: WAITLIST, SEATED: WALK_IN}.get(status, CREATE)


def require(staff: StaffMember, *actions: str) -> None:
    missing = [a for a in actions if a not in MAY.get(staff.role, frozenset())]
    if missing:
        raise Refused(*(("permission", a) for a in missing))
