"""Judging create_booking, the busiest intent, in two round trips.

Its reads go with the desk's lock in the first round trip (``reads``): the
guest, any booking with its id or reference, the tables' row locks and the
bookings in their way, and a hold's fencing token. The decision is the
intent's one meaning (app.protocol.meaning.created) and the domain's rule of
who keeps a table. Its writes go with the outcome and COMMIT in the second:
the new rows (the guest, the booking, its tables, a conflict) inside the
outcome statement itself, stamped with the version as they go in
(server.sync.outcome); changes to rows that exist go just before it.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from psycopg.types.json import Jsonb

from app import protocol as p
from app.domain.booking import Booking as DomainBooking
from app.domain.booking import BookingStatus
from app.domain.conflicts import ALLOWED
from app.domain.errors import DomainError, SeatingRefused
from app.domain.kernel.customers import booked_customer
from app.domain.kernel.placement import Placement, flagged_to_move, kept_in_conflict, placed
from app.protocol import meaning
from app.protocol.codec import booking_of, customer_of
from server.sync import consent, placement, store
from server.sync.context import APPLIED, IntentContext, Rejected, Verdict
from server.sync.forgotten import forgotten
from server.sync.models import Booking, Conflict, Customer
from server.sync.pipeline import Statement

K = p.ConflictKind

_TAKE = (
    "INSERT INTO booking_tables (booking_id, table_id, venue_id, during) "
    f"SELECT %(booking)s, t, %(venue)s, {placement.DURING} "
    "FROM unnest(CAST(%(tables)s AS uuid[])) t "
    "RETURNING 1"
)
_LET_GO = "DELETE FROM booking_tables WHERE booking_id = ANY(%(ids)s) RETURNING 1"
# Never onto a guest erased since the read (which takes no lock): the erasure holds the
# row until it commits, and this re-reads it then (server/guests/erase.py).
_EMAIL = (
    "UPDATE customers SET email = %(email)s, updated_at = %(now)s "
    "WHERE id = %(id)s AND erased_at IS NULL RETURNING 1"
)
_CONSENT = (
    "UPDATE customers SET consent = %(consent)s, updated_at = %(now)s "
    "WHERE id = %(id)s AND erased_at IS NULL RETURNING 1"
)
_RELEASE_HOLD = "UPDATE holds SET released_at = %(now)s WHERE id = %(id)s RETURNING 1"


# The guest's row if known (all NULL if not) and the bookings that already have this
# intent's id or reference, in one statement: each statement costs the push path
# about 0.07 ms of psycopg's Python (docs/benchmarks.md).
_GUEST_AND_CLASH = (
    "SELECT c.*, ARRAY(SELECT id FROM bookings WHERE id = %(id)s "
    "OR (venue_id = %(venue)s AND reference = %(reference)s)) AS clashing_ids "
    "FROM (SELECT 1) AS one LEFT JOIN customers c ON c.id = %(customer)s"
)


def reads(m: p.CreateBooking, venue_id: uuid.UUID) -> dict[str, Statement]:
    """What judging needs, read with the desk's lock (the tables' locks come first)."""
    a = m.args
    out: dict[str, Statement] = {
        "guest": (
            _GUEST_AND_CLASH,
            {
                "customer": a.customer.id,
                "id": m.entity_id,
                "venue": venue_id,
                "reference": a.reference,
            },
        )
    }
    tables = sorted(set(a.table_ids)) if a.status is not BookingStatus.WAITLISTED else []
    if tables:
        out["locked"] = placement.tables_lock(tables)
        out["in_the_way"] = placement.in_the_way_read(
            tables, a.start, a.duration_minutes, [m.entity_id]
        )
    if a.fencing_token is not None:
        out["hold"] = (
            "SELECT * FROM holds WHERE fencing_token = %(token)s FOR UPDATE",
            {"token": a.fencing_token},
        )
    return out


def create_booking(ctx: IntentContext, m: p.CreateBooking) -> Verdict:
    a, booking_id = m.args, str(m.entity_id)
    guest = dict(ctx.read["guest"][0])
    clashing: list[uuid.UUID] = guest.pop("clashing_ids")
    known = guest if guest["id"] is not None else None
    if known is not None and known["venue_id"] != ctx.venue_id:
        raise Rejected("This customer belongs to another venue.")
    if known is not None and known["erased_at"] is not None:
        zone = ctx.judging.rules.venue.tz
        raise forgotten(known["erased_at"], zone, known["id"], [m.entity_id])
    ctx.require(*meaning.required_actions(a, None, new_vip=known is None and a.customer.vip))
    _refuse_clash(m, clashing)
    if m.base_version != 0:
        raise Rejected("A new booking cannot have been seen at an earlier version.")
    judging = replace(ctx.judging, vip_of=lambda _id: None if known is None else known["vip"])
    invalid: SeatingRefused | None = None
    try:
        booking = meaning.created(judging, a, booking_id, str(ctx.venue_id))
    except SeatingRefused as refused:
        invalid = refused
        booking = meaning.created(judging, a, booking_id, str(ctx.venue_id), kept_in_conflict=True)
    except DomainError as refused:
        raise Rejected(str(refused)) from None
    _check_fence(ctx, a.fencing_token, booking)
    rows = ctx.read.get("in_the_way", [])
    in_the_way = [booking_of(r) for r in rows]
    where = placed(booking, in_the_way)
    wanted = booking
    if not where.holds and where.blocked_by is not None:
        booking = kept_in_conflict(booking)
    _write_customer(ctx, known, a)
    ctx.changed_booking(None, booking)
    values = store.booking_values(booking)
    del values["version"]
    ctx.created.append(store.insert(Booking.__table__, values, stamped=True))
    if where.holds:
        _flag(ctx, where, booking)  # their tables are let go (a write) before this booking
        ctx.created.append(_take(ctx, booking))  # takes them (with the outcome)
    if invalid is not None:
        invalid_detail = placement.detail(booking, None, str(invalid))
        conflict_id = _conflict(ctx, K.INVALID, booking.id, invalid_detail)
        return Verdict(p.OutcomeKind.CONFLICT, str(invalid), conflict_id)
    if where.blocked_by is not None:
        detail = placement.overlap_detail(ctx, wanted, where.blocked_by)
        detail["message"] += " This booking was kept but holds no table until staff move it."
        conflict_id = _conflict(ctx, K.OVERLAP, booking.id, detail, where.blocked_by.id)
        return Verdict(p.OutcomeKind.CONFLICT, detail["message"], conflict_id)
    return APPLIED


def _refuse_clash(m: p.CreateBooking, clashing: list[uuid.UUID]) -> None:
    # The id is named first whatever order the rows came in: a resent create clashes on both.
    if m.entity_id in clashing:
        raise Rejected(f"A booking with id {m.entity_id} already exists on the server.")
    if clashing:
        raise Rejected(f"Reference {m.args.reference} is already used by another booking.")


def _check_fence(ctx: IntentContext, token: int | None, booking: DomainBooking) -> None:
    """A desk that took a hold must still own it: a stale fencing token is refused."""
    if token is None:
        return
    hold = ctx.read["hold"][0] if ctx.read["hold"] else None
    numbers = placement.numbers(ctx, booking.table_ids) if booking.table_ids else "these tables"
    if (
        hold is None
        or hold["venue_id"] != ctx.venue_id
        or hold["device_id"] != ctx.device.id
        or hold["released_at"] is not None
        or hold["expires_at"] <= ctx.now
    ):
        raise Rejected(
            f"This desk's hold on table {numbers} ran out (fencing token {token} is stale), "
            "so another desk may have taken the table. Check the table and try again."
        )
    tables = {uuid.UUID(t) for t in booking.table_ids}
    if (
        not tables <= set(hold["table_ids"])
        or booking.start < hold["start"]
        or booking.end > hold["end"]
    ):
        raise Rejected(
            f"The hold with fencing token {token} does not cover table {numbers} at that time."
        )
    ctx.writes.append((_RELEASE_HOLD, {"now": ctx.now, "id": hold["id"]}))


def _write_customer(
    ctx: IntentContext, known: dict[str, Any] | None, a: p.CreateBookingArgs
) -> None:
    given = customer_of(a.customer)
    answers = consent.history(ctx.venue_id, a.customer.id, given.consent, ctx.now)
    if known is None:
        guest = booked_customer(None, given)
        ctx.guests[guest.id] = guest
        values = {**store.customer_values(guest), "venue_id": ctx.venue_id}
        values["updated_at"] = ctx.now
        values["consent"] = Jsonb(values["consent"])
        ctx.created.append(
            store.insert(
                Customer.__table__, values, conflict="ON CONFLICT (id) DO NOTHING", stamped=True
            )
        )
        ctx.created.extend(answers)  # after the guest's row, in the same statement
        return
    before = customer_of(known)
    after = booked_customer(before, given)
    ctx.guests[after.id] = after
    if after.email != before.email:
        ctx.writes.append((_EMAIL, {"email": after.email, "now": ctx.now, "id": a.customer.id}))
        ctx.touch_id("customers", a.customer.id)
    if after.consent != before.consent:
        latest = Jsonb(store.customer_values(after)["consent"])
        ctx.writes.append((_CONSENT, {"consent": latest, "now": ctx.now, "id": a.customer.id}))
        ctx.touch_id("customers", a.customer.id)
    ctx.writes.extend(answers)


def _take(ctx: IntentContext, b: DomainBooking) -> Statement:
    params = {
        "booking": uuid.UUID(b.id),
        "venue": ctx.venue_id,
        **placement.during_params(b.start, b.duration_minutes),
        "tables": [uuid.UUID(t) for t in b.table_ids],
    }
    return _TAKE, params


def _flag(ctx: IntentContext, where: Placement, winner: DomainBooking) -> None:
    """The reservations a seated walk-in took the table from: in conflict, to move."""
    if not where.flagged:
        return
    for other in where.flagged:
        moved = flagged_to_move(other, ctx.now)
        values = {"status": moved.status.value, "updated_at": moved.updated_at}
        ctx.writes.append(store.update(Booking.__table__, uuid.UUID(other.id), values))
        ctx.touch_id("bookings", uuid.UUID(other.id))
        _conflict(ctx, K.OVERLAP, other.id, placement.moved_aside(ctx, other, winner), winner.id)
    ids = [uuid.UUID(o.id) for o in where.flagged]
    ctx.writes.append((_LET_GO, {"ids": ids}))


def _conflict(
    ctx: IntentContext,
    kind: p.ConflictKind,
    booking_id: str,
    detail: dict[str, Any],
    other: str | None = None,
) -> uuid.UUID:
    conflict_id = uuid.uuid4()
    values = {
        "id": conflict_id,
        "venue_id": ctx.venue_id,
        "kind": kind.value,
        "state": p.ConflictState.OPEN.value,
        "booking_id": uuid.UUID(booking_id),
        "other_booking_id": uuid.UUID(other) if other else None,
        "detail": Jsonb(detail),
        "device_id": ctx.device.id,
        "staff_id": uuid.UUID(ctx.staff.id),
        "staff_name": ctx.staff.name,
        "mutation_id": ctx.mutation.mutation_id,
        "allowed": [r.value for r in ALLOWED[kind]],
        "created_at": ctx.now,
    }
    ctx.created.append(store.insert(Conflict.__table__, values, stamped=True))
    return conflict_id
