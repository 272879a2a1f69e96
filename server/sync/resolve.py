"""Resolving a conflict is itself an intent, so two desks resolving at once are ordered."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from app.domain.booking import BookingStatus
from app.domain.errors import InvalidInput
from app.domain.permissions import Action
from app.sync import protocol as p
from server.sync import judging as j
from server.sync.bookings import change_status
from server.sync.context import APPLIED, Conflicted, IntentContext, Rejected, Verdict
from server.sync.models import Booking, Conflict
from server.sync.placement import holds_tables, place, release

S = BookingStatus
R = p.Resolution


def resolve_conflict(ctx: IntentContext, m: p.ResolveConflict) -> Verdict:
    a = m.args
    ctx.staff.require(
        Action.OVERRIDE_CONFLICT if a.resolution is R.KEEP_BOTH else Action.RESOLVE_CONFLICT
    )
    conflict = ctx.session.get(Conflict, a.conflict_id, with_for_update=True)
    if conflict is None or conflict.venue_id != ctx.venue_id:
        raise Rejected(f"There is no conflict {a.conflict_id} in this venue.")
    if conflict.state == p.ConflictState.RESOLVED:
        raise Rejected(
            f"This conflict was already resolved ({conflict.resolution}) on another "
            "desk; nothing more was changed."
        )
    if a.resolution.value not in conflict.allowed:
        allowed = ", ".join(conflict.allowed)
        raise Rejected(f"A {conflict.kind} conflict can be resolved by: {allowed}.")
    booking = j.load_booking(ctx, conflict.booking_id)
    try:
        _apply(ctx, conflict, booking, a)
    except Conflicted as clash:
        raise Rejected(f"{clash} Choose another table or time.") from None
    except InvalidInput as error:
        raise Rejected(str(error)) from None
    conflict.state = p.ConflictState.RESOLVED.value
    conflict.resolution = a.resolution.value
    conflict.resolved_at = ctx.now
    conflict.resolved_by = uuid.UUID(ctx.staff.id)
    conflict.detail = {**conflict.detail, "resolved_by": ctx.staff.name, "note": a.note}
    booking.updated_at = ctx.now
    ctx.touch(conflict, booking)
    ctx.session.flush()
    return APPLIED


def _apply(
    ctx: IntentContext, conflict: Conflict, booking: Booking, a: p.ResolveConflictArgs
) -> None:
    kind = p.ConflictKind(conflict.kind)
    if a.resolution is R.KEEP_THEIRS:
        return
    if a.resolution is R.CANCEL:
        _force_status(ctx, booking, S.CANCELLED)
    elif a.resolution is R.WAITLIST:
        _force_status(ctx, booking, S.WAITLISTED)
        booking.table_ids, booking.combined, booking.waitlisted_at = [], False, ctx.now
        release(ctx, booking)
    elif kind is p.ConflictKind.STALE_EDIT:
        _keep_my_edit(ctx, booking, conflict.detail.get("mine", {}))
    elif a.resolution is R.KEEP_BOTH:
        # The manager honours both bookings: this one is restored without a
        # table, to be seated wherever the night allows.
        booking.status = j.restored_status(conflict.detail)
        booking.table_ids, booking.combined = [], False
        release(ctx, booking)
    elif a.resolution is R.MOVE:
        if not a.table_ids:
            raise Rejected("Moving a booking out of a conflict needs the tables to move it to.")
        _reseat(ctx, booking, conflict, j.table_ids(ctx, a.table_ids), a.start, overrule=False)
    elif a.resolution is R.KEEP_MINE:
        _reseat(ctx, booking, conflict, list(booking.table_ids), None, overrule=True)


def _force_status(ctx: IntentContext, booking: Booking, target: BookingStatus) -> None:
    if booking.status == S.CONFLICT:
        booking.status = target.value
        if target is not S.WAITLISTED:
            release(ctx, booking)
        return
    change_status(ctx, booking, target)


def _reseat(
    ctx: IntentContext,
    booking: Booking,
    conflict: Conflict,
    tables: list[Any],
    start: datetime | None,
    *,
    overrule: bool,
) -> None:
    status = j.restored_status(conflict.detail)
    if start is not None:
        booking.start = start
    booking.combined = j.check_seating(ctx, tables, booking.party_size)
    booking.table_ids, booking.status = tables, status
    ctx.session.flush()
    place(ctx, booking, status, keep=False, overrule=overrule)


def _keep_my_edit(ctx: IntentContext, booking: Booking, mine: dict[str, Any]) -> None:
    """Apply the desk's side of a stale edit over what is there now."""
    if "status" in mine and mine["status"] != booking.status:
        change_status(ctx, booking, BookingStatus(mine["status"]))
    if "table_ids" in mine:
        booking.table_ids = j.table_ids(ctx, (uuid.UUID(t) for t in mine["table_ids"]))
    if "start" in mine:
        booking.start = datetime.fromisoformat(mine["start"])
    if "duration_minutes" in mine:
        booking.duration_minutes = int(mine["duration_minutes"])
    if "party_size" in mine:
        booking.party_size = int(mine["party_size"])
    for text_field in ("notes", "special_requests", "occasion"):
        if text_field in mine:
            setattr(booking, text_field, str(mine[text_field]))
    if holds_tables(booking):
        booking.combined = j.check_seating(ctx, list(booking.table_ids), booking.party_size)
        ctx.session.flush()
        place(ctx, booking, booking.status, keep=False)
