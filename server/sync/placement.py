"""Putting a booking on its tables, where the exclusion constraint has the last word."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from psycopg.errors import ExclusionViolation
from psycopg.types.range import Range
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError

from app.domain.booking import ACTIVE, BookingStatus
from app.sync import protocol as p
from server.sync.context import Conflicted, IntentContext
from server.sync.models import Booking, BookingTable, Conflict
from server.sync.pipeline import Statement, pipelined
from server.sync.rows import booking_summary

ALLOWED: dict[p.ConflictKind, list[p.Resolution]] = {
    p.ConflictKind.OVERLAP: [
        p.Resolution.MOVE,
        p.Resolution.KEEP_MINE,
        p.Resolution.WAITLIST,
        p.Resolution.CANCEL,
        p.Resolution.KEEP_BOTH,
    ],
    p.ConflictKind.STALE_EDIT: [p.Resolution.KEEP_MINE, p.Resolution.KEEP_THEIRS],
    p.ConflictKind.EDIT_AFTER_CANCEL: [p.Resolution.KEEP_THEIRS],
    p.ConflictKind.ILLEGAL_MOVE: [p.Resolution.KEEP_THEIRS],
    p.ConflictKind.INVALID: [
        p.Resolution.MOVE,
        p.Resolution.WAITLIST,
        p.Resolution.CANCEL,
        p.Resolution.KEEP_BOTH,
    ],
}


class Placed(Protocol):
    """A booking as placing it needs it: an ORM row, or one being created."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def venue_id(self) -> uuid.UUID: ...
    @property
    def reference(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def party_size(self) -> int: ...
    @property
    def start(self) -> datetime: ...
    @property
    def duration_minutes(self) -> int: ...
    @property
    def table_ids(self) -> list[uuid.UUID]: ...
    @property
    def combined(self) -> bool: ...


def during(booking: Placed) -> Range[Any]:
    end = booking.start + timedelta(minutes=booking.duration_minutes)
    return Range(booking.start, end, "[)")


def holds_tables(booking: Placed) -> bool:
    return BookingStatus(booking.status) in ACTIVE and bool(booking.table_ids)


def release(ctx: IntentContext, booking: Placed) -> None:
    ctx.session.execute(delete(BookingTable).where(BookingTable.booking_id == booking.id))


_LOCK_TABLES = text(
    "SELECT id FROM tables WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR NO KEY UPDATE"
)
_HOLD = text(
    "INSERT INTO booking_tables (booking_id, table_id, venue_id, during) "
    "SELECT :booking, t, :venue, CAST(:during AS tstzrange) FROM unnest(CAST(:tables AS uuid[])) t"
)
# The same, but only if no other booking holds one of the tables then. Under the
# tables' row locks every earlier writer has committed, so this statement's
# snapshot sees them all; the exclusion constraint still has the last word.
_HOLD_IF_FREE = (
    "INSERT INTO booking_tables (booking_id, table_id, venue_id, during) "
    "SELECT %(booking)s, t, %(venue)s, CAST(%(during)s AS tstzrange) "
    "FROM unnest(CAST(%(tables)s AS uuid[])) t WHERE NOT EXISTS (SELECT 1 FROM booking_tables "
    "WHERE table_id = ANY(CAST(%(tables)s AS uuid[])) AND during && CAST(%(during)s AS tstzrange) "
    "AND booking_id <> %(booking)s) RETURNING 1"
)


def hold_if_free(booking: Placed) -> Statement:
    """The statement putting a new booking on its tables if they are free (a row if so)."""
    params = {
        "booking": booking.id,
        "venue": booking.venue_id,
        "during": during(booking),
        "tables": list(booking.table_ids),
    }
    return _HOLD_IF_FREE, params


def lock_tables(ctx: IntentContext, table_ids: Sequence[uuid.UUID]) -> None:
    """Queue writers of the same tables behind each other, in table id order.

    Two transactions inserting overlapping rows would otherwise each wait for
    the other inside the exclusion check, a deadlock PostgreSQL only breaks
    after deadlock_timeout. NO KEY UPDATE leaves foreign-key checks unblocked.
    """
    if table_ids:
        ctx.session.execute(_LOCK_TABLES, {"ids": sorted(table_ids)})


def try_hold(
    ctx: IntentContext, booking: Placed, *, new: bool = False, held: bool | None = None
) -> list[Booking]:
    """Make the booking's table rows match it; the bookings in the way if any.

    Runs in a savepoint: on an overlap nothing of the attempt remains. A new
    booking judged without savepoints (``ctx.safe`` false) looks before it
    inserts instead; should the constraint still fire, the whole intent is
    judged again with savepoints (push.py, ``Redo``).
    """
    session = ctx.session
    if not new:  # a new booking's tables were locked by the statement inserting it
        lock_tables(ctx, booking.table_ids)
    if new and not ctx.safe:
        if held is None:
            (row,) = pipelined(session, hold_if_free(booking))
            held = row is not None
        return [] if held else blocking(ctx, booking.table_ids, during(booking), booking.id)
    savepoint = session.begin_nested()
    try:
        if not new:
            release(ctx, booking)
        if holds_tables(booking):
            session.execute(
                _HOLD,
                {
                    "booking": booking.id,
                    "venue": booking.venue_id,
                    "during": during(booking),
                    "tables": list(booking.table_ids),
                },
            )
        savepoint.commit()
        return []
    except IntegrityError as exc:
        savepoint.rollback()
        if not isinstance(exc.orig, ExclusionViolation):
            raise
    return blocking(ctx, booking.table_ids, during(booking), booking.id)


def blocking(
    ctx: IntentContext, table_ids: Sequence[uuid.UUID], span: Range[Any], me: uuid.UUID
) -> list[Booking]:
    ids = ctx.session.scalars(
        select(BookingTable.booking_id)
        .where(
            BookingTable.table_id.in_(list(table_ids)),
            BookingTable.during.op("&&")(span),
            BookingTable.booking_id != me,
        )
        .distinct()
    ).all()
    if not ids:
        return []
    return list(
        ctx.session.scalars(
            select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id).with_for_update()
        )
    )


def record_conflict(
    ctx: IntentContext,
    kind: p.ConflictKind,
    booking: Placed,
    detail: dict[str, Any],
    other: Booking | None = None,
) -> Conflict:
    conflict = Conflict(
        id=uuid.uuid4(),
        venue_id=ctx.venue_id,
        kind=kind.value,
        state=p.ConflictState.OPEN.value,
        booking_id=booking.id,
        other_booking_id=other.id if other else None,
        detail=detail,
        device_id=ctx.device.id,
        staff_id=uuid.UUID(ctx.staff.id),
        staff_name=ctx.staff.name,
        mutation_id=ctx.mutation.mutation_id,
        allowed=[r.value for r in ALLOWED[kind]],
        created_at=ctx.now,
    )
    ctx.session.add(conflict)
    ctx.touch(conflict)
    return conflict


def place(
    ctx: IntentContext,
    booking: Placed,
    wanted_status: str,
    *,
    keep: bool = True,
    overrule: bool = False,
    new: bool = False,
    held: bool | None = None,
) -> Conflict | None:
    """Hold the booking's tables, applying the overlap rules; the conflict made, if any.

    The first committed booking stands and a later one is kept as a conflict
    holding no table (``keep``), or the change is not applied at all (raises
    Conflicted) — except that a party seated wins over a reservation, which is
    flagged to move. ``overrule`` flags whatever is in the way (keep mine).
    ``held`` says whether a new booking's tables were already taken with it.
    """
    others: list[Booking] = []
    for _ in range(5):
        others = try_hold(ctx, booking, new=new, held=held)
        held = None  # taken again after flagging what was in the way
        if not others:
            return None
        wins = overrule or wanted_status == BookingStatus.SEATED
        if not wins or any(o.status == BookingStatus.SEATED for o in others):
            break
        for other in others:
            flag_to_move(ctx, other, seated=booking)
    if keep:
        return _kept_as_conflict(ctx, booking, wanted_status, others[0])
    raise Conflicted(
        p.ConflictKind.OVERLAP,
        booking.id,
        _overlap_detail(ctx, booking, wanted_status, others[0]),
        others[0].id,
    )


def _overlap_detail(
    ctx: IntentContext, booking: Placed, wanted_status: str, other: Booking
) -> dict[str, Any]:
    return {
        "mine": {**booking_summary(booking), "status": wanted_status},
        "theirs": booking_summary(other),
        "message": f"Table {_numbers(ctx, booking.table_ids)} is already taken by "
        f"booking {other.reference} at that time.",
    }


def _kept_as_conflict(
    ctx: IntentContext, placed: Placed, wanted_status: str, other: Booking
) -> Conflict:
    detail = _overlap_detail(ctx, placed, wanted_status, other)
    detail["message"] += " This booking was kept but holds no table until staff move it."
    booking = placed if isinstance(placed, Booking) else ctx.session.get(Booking, placed.id)
    assert booking is not None  # inserted earlier in this transaction
    booking.status = BookingStatus.CONFLICT.value
    ctx.session.flush()
    release(ctx, booking)
    return record_conflict(ctx, p.ConflictKind.OVERLAP, booking, detail, other)


def flag_to_move(ctx: IntentContext, reservation: Booking, seated: Placed) -> Conflict:
    theirs = booking_summary(reservation)
    reservation.status = BookingStatus.CONFLICT.value
    reservation.updated_at = ctx.now
    ctx.touch(reservation)
    ctx.session.flush()
    release(ctx, reservation)
    return record_conflict(
        ctx,
        p.ConflictKind.OVERLAP,
        reservation,
        {
            "mine": theirs,
            "theirs": booking_summary(seated),
            "message": f"A party was seated at table {_numbers(ctx, seated.table_ids)}; "
            f"booking {reservation.reference} must move.",
        },
        seated,
    )


def _numbers(ctx: IntentContext, table_ids: Sequence[uuid.UUID]) -> str:
    try:
        return ctx.plan.numbers(str(t) for t in table_ids)
    except Exception:
        return ", ".join(str(t) for t in table_ids)
