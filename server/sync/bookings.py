"""Judges of the booking intents: move, edit details, status, cancel (create: create.py)."""

from __future__ import annotations

from typing import Any

from app.domain.booking import ACTIVE, BookingStatus, check_duration, check_party_size
from app.domain.booking import Booking as DomainBooking
from app.domain.errors import IllegalTransition, InvalidInput
from app.domain.permissions import Action
from app.sync import protocol as p
from server.sync import judging as j
from server.sync.context import APPLIED, Conflicted, IntentContext, Rejected, Verdict
from server.sync.models import Booking
from server.sync.placement import holds_tables, place, release

S = BookingStatus


def _done(ctx: IntentContext, booking: Booking) -> Verdict:
    booking.updated_at = ctx.now
    ctx.touch(booking)
    ctx.session.flush()
    return Verdict(p.OutcomeKind.MERGED) if j.is_stale(ctx, booking) else APPLIED


def move_booking(ctx: IntentContext, m: p.MoveBooking) -> Verdict:
    a = m.args
    ctx.staff.require(Action.MOVE)
    booking = j.load_booking(ctx, m.entity_id)
    tables = j.table_ids(ctx, a.table_ids)
    mine: dict[str, Any] = {
        "table_ids": [str(t) for t in tables],
        "start": a.start.isoformat(),
        "duration_minutes": a.duration_minutes,
    }
    j.guard_not_cancelled(ctx, booking, mine)
    if booking.status in {S.COMPLETED, S.NO_SHOW}:
        raise Rejected(f"Booking {booking.reference} is {booking.status}; it cannot be moved.")
    stale = j.stale_fields(ctx, booking, mine)
    if stale:
        raise j.stale_conflict(ctx, booking, stale, mine)
    check_duration(a.duration_minutes)
    if booking.status != S.SEATED:
        ctx.venue.check_open(a.start, a.duration_minutes)
    j.check_fence(ctx, a.fencing_token, tables, a.start, a.duration_minutes)
    combined = False
    if tables and booking.status in ACTIVE:
        try:
            combined = j.check_seating(ctx, tables, booking.party_size)
        except InvalidInput as error:
            raise j.invalid_conflict(booking, error, mine) from None
    booking.table_ids, booking.combined = tables, combined
    booking.start, booking.duration_minutes = a.start, a.duration_minutes
    if booking.status in ACTIVE:
        ctx.session.flush()
        place(ctx, booking, booking.status, keep=False)
    return _done(ctx, booking)


def _merge_text(ctx: IntentContext, current: str, seen: object, mine: str) -> str:
    """Both sides of a concurrent notes edit, the later one signed."""
    if seen is None or str(seen) == current or mine == current:
        return mine
    stamp = ctx.venue.local(ctx.mutation.device_time).strftime("%d %b %H:%M")
    return f"{current}\n— {ctx.staff.name}, {stamp}: {mine}"


def edit_details(ctx: IntentContext, m: p.EditDetails) -> Verdict:
    a = m.args
    ctx.staff.require(Action.EDIT_DETAILS)
    booking = j.load_booking(ctx, m.entity_id)
    mine = a.model_dump(mode="json", exclude_none=True)
    j.guard_not_cancelled(ctx, booking, mine)
    if a.party_size is not None and a.party_size != booking.party_size:
        stale = j.stale_fields(ctx, booking, ["party_size"])
        if stale:
            raise j.stale_conflict(ctx, booking, stale, mine)
        if booking.status in {S.COMPLETED, S.NO_SHOW}:
            raise Rejected(
                f"Booking {booking.reference} is {booking.status}; its party size cannot change."
            )
        check_party_size(a.party_size, ctx.plan.largest_party())
        if holds_tables(booking):
            try:
                booking.combined = j.check_seating(ctx, list(booking.table_ids), a.party_size)
            except InvalidInput as error:
                raise j.invalid_conflict(booking, error, mine) from None
        booking.party_size = a.party_size
    stale = j.is_stale(ctx, booking)
    previous = ctx.mutation.previous if stale else {}
    if a.notes is not None:
        booking.notes = _merge_text(ctx, booking.notes, previous.get("notes"), a.notes)
    if a.special_requests is not None:
        booking.special_requests = _merge_text(
            ctx, booking.special_requests, previous.get("special_requests"), a.special_requests
        )
    if a.occasion is not None:
        booking.occasion = a.occasion
    if a.priority_score is not None:
        booking.priority_score = a.priority_score
    return _done(ctx, booking)


def _status_action(current: str, target: BookingStatus) -> Action:
    if current == S.WAITLISTED and target in {S.PENDING, S.CONFIRMED}:
        return Action.PROMOTE
    return {
        S.PENDING: Action.CONFIRM,
        S.CONFIRMED: Action.CONFIRM,
        S.SEATED: Action.SEAT,
        S.COMPLETED: Action.COMPLETE,
        S.CANCELLED: Action.CANCEL,
        S.NO_SHOW: Action.NO_SHOW,
        S.WAITLISTED: Action.ADD_TO_WAITLIST,
    }[target]


def change_status(
    ctx: IntentContext,
    booking: Booking,
    target: BookingStatus,
    tables: list[Any] | None = None,
) -> Verdict:
    if target is S.CONFLICT:
        raise Rejected("Only the server puts a booking in conflict.")
    ctx.staff.require(_status_action(booking.status, target))
    mine: dict[str, Any] = {"status": target.value}
    if tables is not None:
        mine["table_ids"] = [str(t) for t in tables]
    if booking.status == target and tables is None:
        return _done(ctx, booking)
    if target is not S.CANCELLED:
        j.guard_not_cancelled(ctx, booking, mine)
    stale = j.stale_fields(ctx, booking, mine)
    if stale:
        raise j.stale_conflict(ctx, booking, stale, mine)
    try:
        _as_domain(booking).moved_to(target, ctx.now)
    except IllegalTransition as error:
        raise Rejected(str(error)) from None
    booking.status = target.value
    if target is S.WAITLISTED:
        booking.table_ids, booking.combined, booking.waitlisted_at = [], False, ctx.now
    elif tables is not None:
        booking.table_ids = tables
    if holds_tables(booking):
        try:
            booking.combined = j.check_seating(ctx, list(booking.table_ids), booking.party_size)
        except InvalidInput as error:
            raise j.invalid_conflict(booking, error, mine) from None
        ctx.session.flush()
        place(ctx, booking, target.value, keep=False)
    else:
        release(ctx, booking)
    return _done(ctx, booking)


def _as_domain(booking: Booking) -> DomainBooking:
    return DomainBooking(
        id=str(booking.id),
        venue_id=str(booking.venue_id),
        reference=booking.reference,
        customer_id=str(booking.customer_id),
        party_size=booking.party_size,
        start=booking.start,
        duration_minutes=booking.duration_minutes,
        status=BookingStatus(booking.status),
        created_at=booking.created_at,
        updated_at=booking.updated_at,
    )


def set_status(ctx: IntentContext, m: p.SetStatus) -> Verdict:
    booking = j.load_booking(ctx, m.entity_id)
    tables = None if m.args.table_ids is None else j.table_ids(ctx, m.args.table_ids)
    return change_status(ctx, booking, m.args.status, tables)


def cancel(ctx: IntentContext, m: p.Cancel) -> Verdict:
    booking = j.load_booking(ctx, m.entity_id)
    try:
        return change_status(ctx, booking, S.CANCELLED)
    except Rejected:
        if j.is_stale(ctx, booking):
            raise j.stale_conflict(ctx, booking, ["status"], {"status": "cancelled"}) from None
        raise


__all__ = ["Conflicted", "cancel", "edit_details", "move_booking", "set_status"]
