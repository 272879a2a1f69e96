"""Judges of the intents that change a booking: move, edit, status, cancel, resolve.

One shape for all: read the booking (locked), decide with the intent's one
meaning (app.protocol.meaning, the function the desk made its row with), then
write. What only the server can add: whether the desk saw the booking as it is
now (staleness), a hold's fencing token, and the tables under their locks.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from app import protocol as p
from app.domain.booking import Booking as DomainBooking
from app.domain.booking import booking_snapshot
from app.domain.errors import DomainError, EditAfterCancel, SeatingRefused
from app.domain.kernel.placement import placed
from app.domain.references import format_reference
from app.protocol import meaning
from app.protocol.meaning import BookingArgs, ConflictFacts
from server.holds.models import Hold
from server.sync import placement, store
from server.sync.context import APPLIED, MERGED, Conflicted, IntentContext, Rejected, Verdict
from server.sync.models import NO_KEY_UPDATE, Booking, Conflict

K = p.ConflictKind


def load(ctx: IntentContext, booking_id: uuid.UUID | str) -> Booking:
    row = ctx.session.get(
        Booking,
        uuid.UUID(str(booking_id)),
        with_for_update=NO_KEY_UPDATE,
        populate_existing=True,
    )
    if row is None or row.venue_id != ctx.venue_id:
        raise Rejected(f"There is no booking {booking_id} in this venue on the server.")
    return row


def decide(ctx: IntentContext, before: DomainBooking, args: BookingArgs) -> DomainBooking:
    """The booking as the intent leaves it; a conflict or a refusal raised in its place.

    Whose word counts, in order: a cancelled booking is not changed (edit after
    cancel); a change to fields the desk saw differently is kept for staff to
    choose (stale edit); then the rules (tables that cannot seat the party
    become an "invalid" conflict, any other refusal is a rejection).
    """
    m = ctx.mutation
    ctx.require(*meaning.required_actions(args, before))
    meaning.check_seen(
        m.base_version, before.version, f"booking {format_reference(before.reference)}"
    )
    stale = meaning.stale_fields(before, args, m.base_version, m.previous)
    try:
        after = meaning.booking_after(
            ctx.judging, before, args, base_version=m.base_version, previous=m.previous
        )
    except EditAfterCancel as refused:
        raise Conflicted(
            K.EDIT_AFTER_CANCEL, uuid.UUID(before.id), _detail(before, refused)
        ) from None
    except DomainError as refused:
        if stale:
            raise _stale(ctx, before, stale) from None
        if isinstance(refused, SeatingRefused):
            raise Conflicted(K.INVALID, uuid.UUID(before.id), _detail(before, refused)) from None
        raise Rejected(str(refused)) from None
    if stale:
        raise _stale(ctx, before, stale)
    return after


def _detail(before: DomainBooking, refused: Exception) -> dict[str, Any]:
    return {"theirs": placement.summary(before), "message": str(refused)}


def _stale(ctx: IntentContext, current: DomainBooking, fields: list[str]) -> Conflicted:
    m = ctx.mutation
    now = booking_snapshot(current)
    mine = {name: getattr(m.args, name, None) for name in meaning.written_fields(m.args)}
    changed = ", ".join(f.replace("_", " ") for f in fields)
    ref = format_reference(current.reference)
    return Conflicted(
        K.STALE_EDIT,
        uuid.UUID(current.id),
        {
            "mine": _json(mine),
            "theirs": {name: now[name] for name in mine},
            "fields": fields,
            "booking": placement.summary(current),
            "intent": meaning.refused_intent(m),
            "message": f"Booking {ref} was changed on another desk ({changed}) "
            "after this desk last saw it; both versions are kept for staff to choose.",
        },
    )


def _json(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list):
            out[name] = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            out[name] = value.isoformat()
        elif hasattr(value, "value"):
            out[name] = value.value
        else:
            out[name] = value
    return out


def check_fence(ctx: IntentContext, token: int | None, after: DomainBooking) -> Hold | None:
    """A desk that took a hold must still own it: a stale fencing token is refused.

    The hold is returned, to be released once the change is written.
    """
    if token is None:
        return None
    hold = ctx.session.scalar(select(Hold).where(Hold.fencing_token == token).with_for_update())
    tables = [uuid.UUID(t) for t in after.table_ids]
    numbers = placement.numbers(ctx, after.table_ids) if tables else "these tables"
    if (
        hold is None
        or hold.venue_id != ctx.venue_id
        or hold.device_id != ctx.device.id
        or hold.released_at is not None
        or hold.expires_at <= ctx.now
    ):
        raise Rejected(
            f"This desk's hold on table {numbers} ran out (fencing token {token} is stale), "
            "so another desk may have taken the table. Check the table and try again."
        )
    if not set(tables) <= set(hold.table_ids) or after.start < hold.start or after.end > hold.end:
        raise Rejected(
            f"The hold with fencing token {token} does not cover table {numbers} at that time."
        )
    return hold


def place(
    ctx: IntentContext,
    row: Booking,
    before: DomainBooking,
    after: DomainBooking,
    *,
    overrule: bool = False,
) -> None:
    """Write the booking and its tables, or raise an overlap conflict and write nothing."""
    moved = (after.table_ids, after.start, after.end) != (
        before.table_ids,
        before.start,
        before.end,
    )
    if after.holds_tables and (moved or not before.holds_tables):
        placement.lock_tables(ctx, after.table_ids)
        where = placed(after, placement.in_the_way(ctx, after), overrule=overrule)
        if not where.holds:
            assert where.blocked_by is not None
            raise Conflicted(
                K.OVERLAP,
                uuid.UUID(after.id),
                placement.overlap_detail(ctx, after, where.blocked_by),
                uuid.UUID(where.blocked_by.id),
            )
        placement.flag(ctx, where, after)
    store.write_booking(row, after)
    ctx.touch(row)
    ctx.changed_booking(before, after)
    ctx.session.flush()
    if not after.holds_tables and before.holds_tables:
        placement.release(ctx, after.id)
    elif after.holds_tables and (moved or not before.holds_tables):
        placement.hold(ctx, after)


def change(ctx: IntentContext, booking_id: uuid.UUID, args: BookingArgs) -> Verdict:
    """The shape of every judge here: read, decide, write."""
    row = load(ctx, booking_id)
    before = store.booking(row)
    after = decide(ctx, before, args)
    hold = (
        check_fence(ctx, args.fencing_token, after) if isinstance(args, p.MoveBookingArgs) else None
    )
    if after != before:
        place(ctx, row, before, after)
    if hold is not None:
        hold.released_at = ctx.now
    return MERGED if ctx.mutation.base_version < before.version else APPLIED


def booking_intent(
    ctx: IntentContext, m: p.MoveBooking | p.EditDetails | p.SetStatus | p.Cancel | p.RecordSpend
) -> Verdict:
    return change(ctx, m.entity_id, m.args)


def resolve_conflict(ctx: IntentContext, m: p.ResolveConflict) -> Verdict:
    """Resolving is itself an intent, so two desks resolving at once are ordered."""
    a = m.args
    conflict = ctx.session.get(Conflict, a.conflict_id, with_for_update=True)
    if conflict is None or conflict.venue_id != ctx.venue_id:
        raise Rejected(f"There is no conflict {a.conflict_id} in this venue.")
    if conflict.state == p.ConflictState.RESOLVED:
        raise Rejected(
            f"This conflict was already resolved ({conflict.resolution}) on another "
            "desk; nothing more was changed."
        )
    facts = ConflictFacts(K(conflict.kind), conflict.detail)
    ctx.judging = meaning.Judging(
        rules=ctx.judging.rules,
        at=ctx.judging.at,
        vip_of=ctx.judging.vip_of,
        conflict_of=lambda _id: facts,
        signature=ctx.judging.signature,
    )
    row = load(ctx, conflict.booking_id)
    before = store.booking(row)
    try:
        after = decide(ctx, before, a)
        overrule = a.resolution is p.Resolution.KEEP_MINE and facts.kind is K.OVERLAP
        if after != before:
            place(ctx, row, before, after, overrule=overrule)
    except Conflicted as clash:
        if clash.kind is K.EDIT_AFTER_CANCEL:
            # Cancelled meanwhile: no table or time would do; only keep theirs or cancel.
            raise Rejected(str(clash)) from None
        raise Rejected(f"{clash} Choose another table or time.") from None
    conflict.state = p.ConflictState.RESOLVED.value
    conflict.resolution = a.resolution.value
    conflict.resolved_at = ctx.now
    conflict.resolved_by = uuid.UUID(ctx.staff.id)
    conflict.detail = {**conflict.detail, "resolved_by": ctx.staff.name, "note": a.note}
    ctx.touch(conflict)
    ctx.session.flush()
    return APPLIED
