"""What resolving a conflict does to the booking in it.

A stale edit resolved "keep mine" re-applies the refused intent itself (its
function in ``bookings``), so it is not here: the protocol's dispatch does it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.domain.booking import ACTIVE, Booking, BookingStatus
from app.domain.conflicts import ALLOWED, ConflictKind, Resolution
from app.domain.errors import DomainError, EditAfterCancel, InvalidInput
from app.domain.kernel.bookings import bookable_status, set_status
from app.domain.kernel.seating import canonical_tables, check_seats, is_combined
from app.domain.references import format_reference
from app.domain.rules import VenueRules

S = BookingStatus
R = Resolution


def restored_status(b: Booking, wanted: object) -> BookingStatus:
    """The status a booking kept in conflict returns to: the one it asked for if that
    holds tables, else booked — confirmed only once no deposit is owed."""
    status = BookingStatus(wanted) if wanted in {s.value for s in ACTIVE} else bookable_status(b)
    if status is S.CONFIRMED and not b.deposit_settled:
        return S.PENDING
    return status


def _restored(b: Booking, wanted: object, at: datetime) -> Booking:
    if b.status is not S.CONFLICT:
        return b
    return b.moved_to(restored_status(b, wanted), at)


def check_not_cancelled(b: Booking, resolution: Resolution) -> None:
    """A booking cancelled while its conflict was open is not brought back by resolving it,
    whichever way: only keeping theirs (or cancelling) settles it."""
    if b.status is S.CANCELLED and resolution not in (R.KEEP_THEIRS, R.CANCEL):
        raise EditAfterCancel(
            f"Booking {format_reference(b.reference)} was cancelled while this conflict was "
            "open; only keeping theirs (or cancelling) settles it now."
        )


def check_allowed(kind: ConflictKind, resolution: Resolution) -> None:
    if resolution not in ALLOWED[kind]:
        allowed = ", ".join(r.value for r in ALLOWED[kind])
        raise DomainError(f"A {kind.value} conflict can be resolved by: {allowed}.")


def resolve(
    rules: VenueRules,
    b: Booking,
    kind: ConflictKind,
    resolution: Resolution,
    *,
    wanted_status: object,
    at: datetime,
    table_ids: tuple[str, ...] | None = None,
    start: datetime | None = None,
) -> Booking:
    """The booking after staff's decision; ``wanted_status`` is what it asked for."""
    check_allowed(kind, resolution)
    if resolution is R.KEEP_THEIRS:
        return b
    check_not_cancelled(b, resolution)
    if resolution is R.CANCEL:
        return set_status(rules, b, S.CANCELLED, at=at)
    if resolution is R.WAITLIST:
        return set_status(rules, b, S.WAITLISTED, at=at)
    if resolution is R.KEEP_MINE and kind is ConflictKind.STALE_EDIT:
        raise DomainError("Keeping a stale edit re-applies the edit itself.")
    restored = _restored(b, wanted_status, at)
    if resolution is R.KEEP_BOTH:
        # The manager honours both bookings: this one is kept without a table, to be
        # seated wherever the night allows.
        if b.status is not S.CONFLICT:
            return b
        return replace(restored, table_ids=(), combined=False)
    if resolution is R.MOVE:
        if not table_ids:
            raise InvalidInput(
                "tables", "Moving a booking out of a conflict needs the tables to move it to."
            )
        tables = canonical_tables(rules.plan, table_ids)
        new_start = start or b.start
        if new_start != b.start and restored.status is not S.SEATED:
            rules.venue.check_open(new_start, b.duration_minutes)
        if restored.status in ACTIVE:
            check_seats(rules.plan, tables, b.party_size)
        return replace(
            restored,
            table_ids=tables,
            combined=is_combined(rules.plan, tables),
            start=new_start,
            updated_at=at,
        )
    # Keep mine (a double booking): back on its own tables; what is in the way is
    # flagged to move by the server's placement.
    if restored.holds_tables:
        check_seats(rules.plan, restored.table_ids, restored.party_size)
    return restored
