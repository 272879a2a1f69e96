"""Undoing a cancel: the one way back from "cancelled", and only for the cancel just made.

Cancelled stays final for every other intent (``TRANSITIONS``, ``EditAfterCancel``):
an undo is its own intent, naming the cancel it takes back, and it restores the
booking exactly as it was before that cancel — or not at all:

* only a cancelled booking, and only to what it was (pending, confirmed or
  waitlisted: the statuses a cancel starts from);
* nothing changed since the cancel: the booking is still at the version the
  cancel made (``cancelled_version``, which each side knows from its own record
  of the cancel's outcome) and on the tables the undo names, those the desk saw
  before the cancel;
* the tables still seat the party. Whether they are still free is placement's
  (the desk's check and the server's locks), as for a move.

The time window (``UNDO_CANCEL_MINUTES``) is the desk's alone
(``check_undo_window``): the server judges an undo whenever it arrives, since a
desk may have been offline when staff pressed Undo.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from app.domain.booking import Booking, BookingStatus
from app.domain.errors import DomainError, InvalidInput
from app.domain.kernel.seating import canonical_tables, check_seats, is_combined
from app.domain.limits import UNDO_CANCEL_MINUTES
from app.domain.references import format_reference
from app.domain.rules import VenueRules

S = BookingStatus
# What a cancel starts from (TRANSITIONS), so what undoing it returns to.
RESTORABLE = frozenset({S.PENDING, S.CONFIRMED, S.WAITLISTED})


class ChangedSinceCancel(DomainError):
    """The booking is not as the cancel left it; putting it back would overwrite a change."""


def undo_cancel(
    rules: VenueRules,
    b: Booking,
    *,
    status: BookingStatus,
    table_ids: tuple[str, ...],
    cancelled_version: int | None,
    at: datetime,
) -> Booking:
    """The booking as it was before the cancel; ``cancelled_version``: the version the
    cancel being undone made (None when that cancel was not applied)."""
    ref = format_reference(b.reference)
    if b.status is not S.CANCELLED:
        raise DomainError(
            f"Booking {ref} is {b.status.value.replace('_', '-')}, not cancelled; "
            "there is no cancel to undo."
        )
    if status not in RESTORABLE:
        raise DomainError(
            f"Booking {ref} can only be put back as pending, confirmed or waitlisted, "
            f"not {status.value}."
        )
    tables = canonical_tables(rules.plan, table_ids)
    if cancelled_version != b.version or set(tables) != set(b.table_ids):
        raise ChangedSinceCancel(
            f"Booking {ref} changed since it was cancelled, so the cancel cannot be "
            "undone; it stays cancelled. Book the guest again if they are still coming."
        )
    if status is S.WAITLISTED:
        return replace(b, status=status, table_ids=(), combined=False, updated_at=at)
    if status is S.CONFIRMED and not b.deposit_settled:
        status = S.PENDING
    try:
        check_seats(rules.plan, tables, b.party_size)
    except InvalidInput as refused:
        raise DomainError(f"Booking {ref} cannot be put back: {refused}") from None
    return replace(
        b, status=status, table_ids=tables, combined=is_combined(rules.plan, tables), updated_at=at
    )


def check_undo_window(b: Booking, cancelled_at: datetime, now: datetime) -> None:
    """The desk offers to undo its cancel for ``UNDO_CANCEL_MINUTES``, no longer."""
    if now - cancelled_at > timedelta(minutes=UNDO_CANCEL_MINUTES):
        raise DomainError(
            f"Booking {format_reference(b.reference)} was cancelled more than "
            f"{UNDO_CANCEL_MINUTES} minutes ago, so it can no longer be undone. "
            "Book the guest again if they are still coming."
        )
