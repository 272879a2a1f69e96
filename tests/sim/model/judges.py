"""Judging the booking intents: create, move, edit, status, cancel, re-arrange.

Whose word counts, in order (the brief's rules; tests/server/test_conflict_rules.py):
the staff member must be allowed; a cancelled booking is not changed (edit after
cancel); a guarded field (tables, time, party size, status) written from a view
older than the booking is kept for staff to choose (stale edit), and so is any
change a rule refuses from such a view; then the rules (tables that cannot seat
the party: an "invalid" conflict; anything else: rejected); then placement —
the first booking on a table stands, a seated party wins over reservations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tests.sim.model import roles, rules
from tests.sim.model.others import booked_customer
from tests.sim.model.rows import (
    CANCELLED,
    CONFIRMED,
    CONFLICT,
    PENDING,
    SEATED,
    WAITLISTED,
    Booking,
)
from tests.sim.model.state import Ctx, Failure, Refused, Verdict, instant

GUARDED = frozenset({"table_ids", "start", "duration_minutes", "party_size", "status"})
NEW_STATUSES = frozenset({"pending", "confirmed", "seated", "waitlisted"})


@dataclass(frozen=True)
class Placed:
    blocked_by: Booking | None = None
    flagged: tuple[Booking, ...] = ()


def placement(
    ctx: Ctx, before: Booking | None, after: Booking, *, overrule: bool = False
) -> Placed:
    """Whether ``after`` takes its tables: checked when it holds tables it did not hold
    at that time. A seated party (or staff overruling) wins over reservations."""
    if not after.holds:
        return Placed()
    if before is not None:
        moved = (after.table_ids, after.start, after.end) != (
            before.table_ids,
            before.start,
            before.end,
        )
        if not moved and before.holds:
            return Placed()
    others = ctx.state.holding(after)
    if not others:
        return Placed()
    if (overrule or after.status == SEATED) and not any(o.status == SEATED for o in others):
        return Placed(flagged=tuple(others))
    return Placed(blocked_by=others[0])


def flag(ctx: Ctx, placed: Placed, winner: Booking) -> None:
    """Reservations a winner took the tables from: in conflict, holding none, each with
    an overlap conflict naming the winner."""
    for other in placed.flagged:
        ctx.writes.bookings[other.id] = replace(other, status=CONFLICT, updated_at=ctx.at)
        ctx.conflict("overlap", other.id, winner.id, wanted=other.status)


def _same(name: str, seen: Any, now: Any) -> bool:
    if name == "table_ids":
        return isinstance(seen, list) and sorted(str(t).lower() for t in seen) == sorted(now)
    if name == "start":
        try:
            return instant(str(seen)) == now
        except ValueError:
            return False
    return seen == now


def stale_fields(ctx: Ctx, b: Booking, written: set[str]) -> list[str]:
    """Guarded fields the intent writes that differ from what its desk saw (a field it
    did not say it saw counts as changed), when its view is older than the booking."""
    m = ctx.intent
    if m.base_version >= b.version:
        return []
    return sorted(
        n
        for n in written & GUARDED
        if n not in m.previous or not _same(n, m.previous[n], getattr(b, n))
    )


def load(ctx: Ctx, booking_id: str) -> Booking:
    b = ctx.state.bookings.get(booking_id)
    if b is None:
        raise Refused(("no_booking",))
    return b


def create_booking(ctx: Ctx) -> Verdict:
    m, a, state = ctx.intent, ctx.intent.args, ctx.state
    guest = a["customer"]
    known = state.customers.get(str(guest["id"]))
    status = a["status"]
    roles.require(
        ctx.staff,
        roles.create_action(status),
        *([roles.FLAG_VIP] if known is None and guest.get("vip") else []),
    )
    reasons = []
    if m.entity_id in state.bookings:
        reasons.append(("id_taken",))
    if any(b.reference == a["reference"] for b in state.bookings.values()):
        reasons.append(("reference_taken", a["reference"]))
    start, minutes, party = instant(a["start"]), a["duration_minutes"], a["party_size"]
    waitlisted = status == WAITLISTED
    tables = () if waitlisted else rules.canonical(a.get("table_ids") or [])
    checks = [
        (status not in NEW_STATUSES, ("new_status",)),
        (not 1 <= party <= state.plan.largest_party(), ("party_too_large",)),
        (not rules.MIN_MINUTES <= minutes <= rules.MAX_MINUTES, ("duration",)),
        (not 0 <= a.get("priority_score", 0) <= rules.MAX_PRIORITY, ("priority",)),
        (status != SEATED and not state.venue.open_for(start, minutes), ("hours",)),
        (bool(state.plan.unknown(list(tables))), ("unknown_table",)),
    ]
    package = a.get("package_id")
    if package and state.venue.deposits.package_pence(package, party) is None:
        sold = package in state.venue.deposits.packages
        checks.append((True, ("package_party",) if sold else ("package_unknown",)))
    reasons += [reason for failed, reason in checks if failed]
    if reasons:
        raise Refused(*reasons)
    at = ctx.at
    b = Booking(
        id=m.entity_id,
        venue_id=state.venue.id,
        reference=a["reference"],
        customer_id=str(guest["id"]),
        party_size=party,
        start=start,
        duration_minutes=minutes,
        status=status,
        table_ids=tables,
        combined=state.plan.combined(tables),
        special_requests=a.get("special_requests", "").strip(),
        occasion=a.get("occasion", "").strip(),
        notes=a.get("notes", "").strip(),
        priority_score=a.get("priority_score", 0),
        deposit_state="not_required",
        deposit_pence=0,
        source=a.get("source", "phone"),
        waitlisted_at=(instant(a["waitlisted_at"]) if a.get("waitlisted_at") else at)
        if waitlisted
        else None,
        created_at=at,
        updated_at=at,
    )
    vip = known.vip if known is not None else bool(guest.get("vip"))
    b = rules.priced(state.venue, b, vip)
    if package:
        b = replace(
            b,
            package_id=package,
            package_pence=state.venue.deposits.package_pence(package, party) or 0,
        )
    if b.status == "confirmed" and not b.settled:
        b = replace(b, status="pending")
    wanted = b
    invalid = b.status in ("pending", "confirmed", "seated") and not state.plan.seats(
        b.table_ids, b.party_size
    )
    if invalid:
        b = replace(b, status=CONFLICT)
    booked_customer(ctx, known, guest)
    placed = placement(ctx, None, b)
    if placed.blocked_by is not None:
        b = replace(b, status=CONFLICT)
    ctx.writes.bookings[b.id] = b
    flag(ctx, placed, b)
    if invalid:
        made = ctx.conflict("invalid", b.id, wanted=CONFLICT)
        return Verdict("conflict", conflict=made, writes=ctx.writes)
    if placed.blocked_by is not None:
        made = ctx.conflict("overlap", b.id, placed.blocked_by.id, wanted=wanted.status)
        return Verdict("conflict", conflict=made, writes=ctx.writes)
    return Verdict("applied", writes=ctx.writes)


def _written(name: str, a: dict[str, Any]) -> set[str]:
    if name == "move_booking":
        return {"table_ids", "start", "duration_minutes"}
    if name == "cancel":
        return {"status"}
    if name == "set_status":
        return {"status"} | ({"table_ids"} if a.get("table_ids") is not None else set())
    if name == "record_spend":
        return {"spend_pence"}
    fields = ("party_size", "special_requests", "occasion", "notes", "priority_score", "package_id")
    return {f for f in fields if a.get(f) is not None}


def _required(name: str, a: dict[str, Any], b: Booking) -> str:
    if name == "set_status":
        return roles.status_action(b.status, a["status"])
    return {"move_booking": roles.MOVE, "cancel": roles.CANCEL, "record_spend": roles.SPEND}.get(
        name, roles.EDIT
    )


def _apply(ctx: Ctx, name: str, a: dict[str, Any], b: Booking, seen: dict | None) -> Booking:
    state, at = ctx.state, ctx.at
    if name == "move_booking":
        start = instant(a["start"])
        return rules.move(
            state.plan, state.venue, b, a["table_ids"], start, a["duration_minutes"], at
        )
    if name == "edit_details":
        customer = state.customers.get(b.customer_id)
        return rules.edit(
            state.plan,
            state.venue,
            b,
            a,
            vip=bool(customer and customer.vip),
            seen=seen,
            signature=state.venue.signature(ctx.staff.name, ctx.intent.device_time),
            at=at,
        )
    if name == "cancel":
        return rules.set_status(state.plan, b, CANCELLED, at, venue=state.venue)
    if name == "record_spend":
        return rules.spent(b, a["spend_pence"], at)
    left = a.get("left_at")
    return rules.set_status(
        state.plan,
        b,
        a["status"],
        at,
        a.get("table_ids"),
        instant(left) if left else None,
        venue=state.venue,
    )


def booking_intent(ctx: Ctx) -> Verdict:
    """move_booking, edit_details, set_status, cancel and record_spend: read, decide, place."""
    m = ctx.intent
    b = load(ctx, m.entity_id)
    roles.require(ctx.staff, _required(m.name, m.args, b))
    stale = stale_fields(ctx, b, _written(m.name, m.args))
    seen = m.previous if m.base_version < b.version else None
    try:
        after = _apply(ctx, m.name, m.args, b, seen)
    except Failure as failed:
        if failed.kind == "after_cancel":
            made = ctx.conflict("edit_after_cancel", b.id)
            return Verdict("conflict", conflict=made, writes=ctx.writes)
        if stale:
            return _stale(ctx, b)
        if failed.kind == "invalid":
            made = ctx.conflict("invalid", b.id)
            return Verdict("conflict", conflict=made, writes=ctx.writes)
        raise Refused(*failed.reasons) from None
    if stale:
        return _stale(ctx, b)
    if after != b:
        placed = placement(ctx, b, after)
        if placed.blocked_by is not None:
            made = ctx.conflict("overlap", after.id, placed.blocked_by.id, wanted=after.status)
            return Verdict("conflict", conflict=made, writes=_only_conflicts(ctx))
        ctx.writes.bookings[after.id] = after
        flag(ctx, placed, after)
    return Verdict("merged" if m.base_version < b.version else "applied", writes=ctx.writes)


def undo_cancel(ctx: Ctx) -> Verdict:
    """A cancel taken back: the booking exactly as it was before it, or refused (never a
    conflict). Only a booking still as the named cancel left it (the version that cancel
    made, the tables it had) comes back, to the status it had, if its tables still seat
    the party and nobody holds them since."""
    m, a, state = ctx.intent, ctx.intent.args, ctx.state
    b = load(ctx, m.entity_id)
    roles.require(ctx.staff, roles.CANCEL)
    if b.status != CANCELLED:
        raise Refused(("not_cancelled",))
    status = a["status"]
    if status not in (PENDING, CONFIRMED, WAITLISTED):
        raise Refused(("undo_status",))
    tables = rules.canonical(a.get("table_ids") or [])
    if state.cancels.get(str(a["cancel_id"])) != b.version or set(tables) != set(b.table_ids):
        raise Refused(("changed_since_cancel",))
    if status == WAITLISTED:
        after = replace(b, status=status, table_ids=(), combined=False, updated_at=ctx.at)
    else:
        if status == CONFIRMED and not b.settled:
            status = PENDING
        if not state.plan.seats(tables, b.party_size):
            raise Refused(("undo_seats",))
        combined = state.plan.combined(tables)
        after = replace(b, status=status, table_ids=tables, combined=combined, updated_at=ctx.at)
        if placement(ctx, b, after).blocked_by is not None:
            raise Refused(("undo_taken",))
    ctx.writes.bookings[b.id] = after
    return Verdict("applied", writes=ctx.writes)


def _stale(ctx: Ctx, b: Booking) -> Verdict:
    kept = (ctx.intent.name, ctx.intent.args)
    mine = ctx.intent.args.get("status") or ("cancelled" if kept[0] == "cancel" else None)
    made = ctx.conflict("stale_edit", b.id, wanted=mine, intent=kept)
    return Verdict("conflict", conflict=made, writes=ctx.writes)


def _tables_seen(ctx: Ctx, booking_id: str) -> list[str] | None:
    for seen in ctx.intent.previous.get("moves") or []:
        if str(seen.get("booking_id")) == booking_id:
            return sorted(str(t) for t in seen.get("table_ids") or [])
    return None


def _only_conflicts(ctx: Ctx):
    ctx.writes.bookings.clear()
    return ctx.writes


def rearrange(ctx: Ctx) -> Verdict:
    """Several bookings onto other tables at once, or none of them."""
    moves = sorted(ctx.intent.args["moves"], key=lambda mv: str(mv["booking_id"]))
    reasons: list[tuple[Any, ...]] = []
    afters: list[Booking] = []
    for mv in moves:
        b = load(ctx, str(mv["booking_id"]))
        if mv["base_version"] < b.version and _tables_seen(ctx, b.id) != sorted(b.table_ids):
            # Only tables moved since the plan make it stale; its own desk's earlier
            # changes, applied first, leave them as that desk saw them.
            reasons.append(("stale_plan", b.reference))
        roles.require(ctx.staff, roles.MOVE)
        try:
            afters.append(rules.rearranged(ctx.state.plan, b, mv["table_ids"], ctx.at))
        except Failure as failed:
            reasons += failed.reasons
    if reasons:
        raise Refused(*reasons)
    moving = frozenset(a.id for a in afters)
    for after in afters:
        others = ctx.state.holding(after, besides=moving)
        if others or any(o.id != after.id and o.shares_time_and_table(after) for o in afters):
            raise Refused(("two_on_one_table",))
    for after in afters:
        ctx.writes.bookings[after.id] = after
    return Verdict("applied", writes=ctx.writes)
