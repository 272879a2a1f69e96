"""Judging create_booking, the busiest intent: its checks, then two statements.

The customer and the booking are inserted, and the booking's tables locked,
by one statement; a duplicate booking id or reference shows as nothing
inserted and is then explained. The
tables are taken by ``placement.place``, where the exclusion constraint has
the last word. ORM rows are only loaded on the rare paths (an overlap).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import text

from app.domain.booking import BookingStatus, check_duration, check_party_size
from app.domain.errors import InvalidInput
from app.domain.permissions import Action
from app.sync import protocol as p
from server.sync import judging as j
from server.sync.context import APPLIED, IntentContext, Redo, Rejected, Verdict
from server.sync.pipeline import Statement, pipelined
from server.sync.placement import hold_if_free, holds_tables, place, record_conflict
from server.sync.rows import booking_summary

S = BookingStatus
NEW_STATUSES = {S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED}


@dataclass(frozen=True, slots=True)
class NewBooking:
    """The fields of a booking being created that placing it and conflicts need."""

    id: uuid.UUID
    venue_id: uuid.UUID
    reference: str
    status: str
    party_size: int
    start: datetime
    duration_minutes: int
    table_ids: list[uuid.UUID]
    combined: bool


_INSERT = (
    "WITH c AS (INSERT INTO customers (id, venue_id, name, phone, email, vip, tags, notes, "
    "marketing_consent, version, updated_at) VALUES (%(customer)s, %(venue)s, %(c_name)s, "
    "%(c_phone)s, %(c_email)s, %(c_vip)s, CAST(%(c_tags)s AS text[]), %(c_notes)s, "
    "%(c_consent)s, 0, %(now)s) ON CONFLICT (id) DO NOTHING RETURNING venue_id, version), "
    "known AS (SELECT venue_id, version FROM c "
    "UNION ALL SELECT venue_id, version FROM customers WHERE id = %(customer)s), "
    "b AS (INSERT INTO bookings (id, venue_id, reference, customer_id, party_size, start, "
    "duration_minutes, status, table_ids, combined, special_requests, occasion, notes, "
    "priority_score, deposit_state, deposit_pence, source, waitlisted_at, created_at, "
    "updated_at, version) SELECT %(id)s, %(venue)s, %(reference)s, %(customer)s, "
    "%(party_size)s, %(start)s, %(minutes)s, %(status)s, CAST(%(table_ids)s AS uuid[]), "
    "%(combined)s, %(special_requests)s, %(occasion)s, %(notes)s, %(priority)s, "
    "%(deposit_state)s, %(deposit_pence)s, %(source)s, %(waitlisted_at)s, %(now)s, %(now)s, 0 "
    "WHERE (SELECT venue_id FROM known LIMIT 1) = %(venue)s "
    "ON CONFLICT DO NOTHING RETURNING id) "
    "SELECT (SELECT count(*) FROM c), (SELECT venue_id FROM known LIMIT 1), "
    "(SELECT version FROM known LIMIT 1), (SELECT count(*) FROM b), "
    # The tables' row locks, in id order, as placement.lock_tables takes them.
    "(SELECT count(*) FROM (SELECT id FROM tables WHERE id = ANY(CAST(%(table_ids)s AS uuid[])) "
    "ORDER BY id FOR NO KEY UPDATE) AS locked)"
)
_CLASH = text("SELECT id FROM bookings WHERE id = :id")


def _create_action(args: p.CreateBookingArgs) -> Action:
    if args.status is S.WAITLISTED:
        return Action.ADD_TO_WAITLIST
    if args.status is S.SEATED:
        return Action.WALK_IN
    return Action.CREATE_BOOKING


def create_booking(ctx: IntentContext, m: p.CreateBooking) -> Verdict:
    a = m.args
    ctx.staff.require(_create_action(a))
    if a.status not in NEW_STATUSES:
        raise Rejected(
            f"A new booking must be pending, confirmed, seated or waitlisted, not {a.status.value}."
        )
    check_party_size(a.party_size, ctx.plan.largest_party())
    check_duration(a.duration_minutes)
    if a.status is not S.SEATED:
        ctx.venue.check_open(a.start, a.duration_minutes)
    tables = [] if a.status is S.WAITLISTED else j.table_ids(ctx, a.table_ids)
    j.check_fence(ctx, a.fencing_token, tables, a.start, a.duration_minutes)
    booking = NewBooking(
        m.entity_id,
        ctx.venue_id,
        a.reference,
        a.status.value,
        a.party_size,
        a.start,
        a.duration_minutes,
        tables,
        False,
    )
    invalid: InvalidInput | None = None
    if holds_tables(booking):
        try:
            booking = replace(booking, combined=j.check_seating(ctx, tables, a.party_size))
        except InvalidInput as error:
            invalid = error
    if invalid is not None:
        _insert(ctx, m, replace(booking, status=S.CONFLICT.value))
        conflict = record_conflict(
            ctx,
            p.ConflictKind.INVALID,
            booking,
            {"mine": booking_summary(booking), "theirs": None, "message": str(invalid)},
        )
        return Verdict(p.OutcomeKind.CONFLICT, str(invalid), conflict.id)
    if not holds_tables(booking):
        _insert(ctx, m, booking)
        return APPLIED
    # Judged without savepoints, the tables are taken in the same round trip.
    held = _insert(ctx, m, booking, hold=None if ctx.safe else hold_if_free(booking))
    conflict = place(ctx, booking, a.status.value, new=True, held=held)
    if conflict is not None:
        return Verdict(p.OutcomeKind.CONFLICT, conflict.detail["message"], conflict.id)
    return APPLIED


def _insert(
    ctx: IntentContext, m: p.CreateBooking, booking: NewBooking, hold: Statement | None = None
) -> bool | None:
    """Insert the customer and the booking (and lock its tables); with ``hold``, also
    run that statement in the same round trip and say whether it took the tables.

    Should the booking not be inserted, ``hold`` fails or touches another
    booking: either way the intent is refused after a write, and judged again.
    """
    a, c = m.args, m.args.customer
    params = {
        "customer": c.id,
        "venue": ctx.venue_id,
        "c_name": " ".join(c.name.split()),
        "c_phone": c.phone,
        "c_email": c.email,
        "c_vip": c.vip,
        "c_tags": list(c.tags),
        "c_notes": c.notes,
        "c_consent": c.marketing_consent,
        "now": ctx.now,
        "id": booking.id,
        "reference": a.reference,
        "party_size": a.party_size,
        "start": a.start,
        "minutes": a.duration_minutes,
        "status": booking.status,
        "table_ids": booking.table_ids,
        "combined": booking.combined,
        "special_requests": a.special_requests,
        "occasion": a.occasion,
        "notes": a.notes,
        "priority": a.priority_score,
        "deposit_state": a.deposit_state.value,
        "deposit_pence": a.deposit_pence,
        "source": a.source.value,
        "waitlisted_at": (a.waitlisted_at or ctx.now) if a.status is S.WAITLISTED else None,
    }
    ctx.wrote = True  # from here on a refusal must undo the insert (push.py, "Redo")
    rows = pipelined(ctx.session, (_INSERT, params), *([hold] if hold else []))
    created, customer_venue, customer_version, inserted, _ = rows[0]
    if customer_venue is None:
        # The customer was inserted by a transaction that committed while this
        # statement ran; its snapshot could not see the row. Once more, now it can.
        if hold is not None:
            raise Redo
        ((created, customer_venue, customer_version, inserted, _),) = pipelined(
            ctx.session, (_INSERT, params)
        )
    if customer_venue != ctx.venue_id:
        raise Rejected("This customer belongs to another venue.")
    if not inserted:
        if ctx.session.execute(_CLASH, {"id": booking.id}).first() is not None:
            raise Rejected(f"A booking with id {booking.id} already exists on the server.")
        raise Rejected(f"Reference {a.reference} is already used by another booking.")
    if created or customer_version == 0:
        ctx.touch_id("customers", c.id)
    ctx.touch_id("bookings", booking.id)
    return None if hold is None else rows[1] is not None
