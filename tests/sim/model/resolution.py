"""Judging resolve_conflict: staff's decision on a conflict, ordered like any intent.

The brief's rules: refused if the conflict is already resolved or the resolution
is not allowed for its kind; keep_theirs changes nothing; cancel and waitlist are
status changes; a stale edit kept ("keep_mine") is the refused intent applied
again over the booking as it is now; for a booking in conflict, keep_both
restores the status it asked for without tables, move restores it onto the given
tables (and start), keep_mine restores it on its own tables, flagging
reservations in the way. A resolution that cannot be placed is refused
(tests/server/test_conflict_rules.py: "already resolved", "may not keep both").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.sim.model import roles, rules
from tests.sim.model.judges import _apply, flag, load, placement
from tests.sim.model.rows import CANCELLED, CONFLICT, HOLDING, SEATED, WAITLISTED, Booking, Conflict
from tests.sim.model.state import Ctx, Failure, Refused, Verdict, instant


def _placeable(ctx: Ctx, change: Any) -> Booking:
    """The booking after ``change``; a conflict it would make refuses the resolution."""
    try:
        return change()
    except Failure as failed:
        if failed.kind == "after_cancel":
            raise Refused(("cannot_place", "edit_after_cancel")) from None
        if failed.kind == "invalid":
            raise Refused(("cannot_place", "invalid")) from None
        raise Refused(*failed.reasons) from None


def _resolved(ctx: Ctx, c: Conflict, b: Booking, a: dict[str, Any]) -> Booking:
    state, at, how = ctx.state, ctx.at, a["resolution"]
    if how == "keep_theirs":
        return b
    if b.status == CANCELLED and how != "cancel":
        # tests/sync/test_one_meaning.py: a booking cancelled while its conflict was open is
        # not brought back by its resolution.
        raise Refused(("cancelled_while_open",))
    if how in ("cancel", "waitlist"):
        status = CANCELLED if how == "cancel" else WAITLISTED
        return _placeable(
            ctx, lambda: rules.set_status(state.plan, b, status, at, venue=state.venue)
        )
    if how == "keep_mine" and c.kind == "stale_edit":
        if c.intent is None:
            raise Refused(("no_refused_change",))
        name, args = c.intent
        # The refused change, applied over what is there now as if it had been seen.
        return _placeable(ctx, lambda: _apply(ctx, name, args, b, None))
    back = rules.restored(b, c.wanted_status, at)
    if how == "keep_both":
        return b if b.status != CONFLICT else replace(back, table_ids=(), combined=False)
    if how == "move":
        tables = a.get("table_ids")
        if not tables:
            raise Refused(("move_needs_tables",))
        ids = rules.canonical(tables)
        if state.plan.unknown(list(ids)):
            raise Refused(("unknown_table",))
        start = instant(a["start"]) if a.get("start") else b.start
        moved_in_time = start != b.start and back.status != SEATED
        if moved_in_time and not state.venue.open_for(start, b.duration_minutes):
            raise Refused(("hours",))
        if back.status in HOLDING and not state.plan.seats(ids, b.party_size):
            raise Refused(("cannot_place", "invalid"))
        combined = state.plan.combined(ids)
        return replace(back, table_ids=ids, combined=combined, start=start, updated_at=at)
    if back.holds and not state.plan.seats(back.table_ids, back.party_size):
        raise Refused(("cannot_place", "invalid"))
    return back


def resolve_conflict(ctx: Ctx, conflict_key: tuple[str, str] | None) -> Verdict:
    """``conflict_key``: the model's key of the conflict the intent names (None: unknown)."""
    a = ctx.intent.args
    c = ctx.state.conflicts.get(conflict_key) if conflict_key else None
    if c is None:
        raise Refused(("no_conflict",))
    if c.state == "resolved":
        raise Refused(("already_resolved", c.resolution))
    b = load(ctx, c.booking_id)
    how = a["resolution"]
    roles.require(ctx.staff, roles.OVERRIDE if how == "keep_both" else roles.RESOLVE)
    if how not in c.allowed:
        raise Refused(("not_allowed", c.kind))
    after = _resolved(ctx, c, b, a)
    if after != b:
        overrule = how == "keep_mine" and c.kind == "overlap"
        placed = placement(ctx, b, after, overrule=overrule)
        if placed.blocked_by is not None:
            raise Refused(("cannot_place", "overlap"))
        ctx.writes.bookings[after.id] = after
        flag(ctx, placed, after)
    ctx.writes.conflicts[c.key] = replace(
        c,
        state="resolved",
        resolution=how,
        resolved_at=ctx.at,
        resolved_by=ctx.staff.id,
        resolver_name=ctx.staff.name,
        note=a.get("note", ""),
    )
    return Verdict("applied", writes=ctx.writes)
