"""Putting a booking on its tables, where the exclusion constraint has the last word.

Who keeps a table is the domain's rule (app.domain.kernel.placement); this
module finds the bookings in the way under the tables' row locks and writes
the outcome. Every writer of ``booking_tables`` locks the tables' rows first,
in id order, so a booking read as "in the way" (or not) stays so until commit;
the exclusion constraint is the guarantee behind that, and a violation aborts
the intent, which is then judged again (push.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from psycopg.types.range import Range
from sqlalchemy import delete, insert, select

from app import protocol as p
from app.domain.booking import Booking as DomainBooking
from app.domain.booking import booking_snapshot
from app.domain.conflicts import ALLOWED
from app.domain.kernel.placement import Placement, flagged_to_move
from server.sync import store
from server.sync.context import IntentContext, Placing
from server.sync.models import Booking, BookingTable, Conflict
from server.sync.pipeline import Statement, pipelined


def bounds(start: datetime, minutes: int) -> tuple[datetime, datetime]:
    """When a booking holds its tables: from its start, for its duration."""
    return start, start + timedelta(minutes=minutes)


def during(b: DomainBooking) -> Range[Any]:
    return Range(*bounds(b.start, b.duration_minutes), "[)")


# ``during`` in hand-written SQL, its parameters from ``during_params``: psycopg dumps
# two instants in C and a Range in Python (18 µs against 3 here), on the hot path twice.
DURING = "tstzrange(%(starts)s, %(ends)s, '[)')"


def during_params(start: datetime, minutes: int) -> dict[str, datetime]:
    starts, ends = bounds(start, minutes)
    return {"starts": starts, "ends": ends}


# Tables are named by one placeholder each, %(t0)s, %(t1)s …, never by an array:
# PostgreSQL plans a statement with ``= ANY($1)`` anew for every execution (a generic
# plan does not know the array's length, so it never looks cheaper than a custom one),
# 0.07 ms a push for the tables' lock. One statement text per number of tables keeps
# its plan.
@lru_cache(maxsize=16)
def _tables_in(n: int) -> str:
    return ", ".join(f"%(t{i})s" for i in range(n))


def _tables(ids: list[uuid.UUID]) -> dict[str, uuid.UUID]:
    return {f"t{i}": table for i, table in enumerate(ids)}


@lru_cache(maxsize=16)
def _locking(n: int) -> str:
    return f"SELECT id FROM tables WHERE id IN ({_tables_in(n)}) ORDER BY id FOR NO KEY UPDATE"


def tables_lock(table_ids: Iterable[uuid.UUID]) -> Statement:
    """``lock_tables`` as a statement of a pipeline (the create push's first round trip)."""
    ids = sorted(set(table_ids))
    return _locking(len(ids)), _tables(ids)


# The span is a sub-select so that no plan knows it. Seeing the instants, PostgreSQL
# estimated a custom plan cheaper than its generic one on every execution (one
# booking in the way against seven), so it planned the statement anew every time,
# 0.28 ms of a create push's 2.4 ms of PostgreSQL CPU at 4 desks (track_planning,
# 2026-12-03); the generic plan runs the same index scans.
@lru_cache(maxsize=16)
def _in_the_way(n: int) -> str:
    return (
        "SELECT * FROM bookings WHERE id IN (SELECT booking_id FROM booking_tables "
        f"WHERE table_id IN ({_tables_in(n)}) AND during && (SELECT {DURING}) "
        "AND booking_id <> %(id)s) ORDER BY id FOR UPDATE"
    )


def in_the_way_read(
    table_ids: Iterable[uuid.UUID], start: datetime, minutes: int, booking_id: uuid.UUID
) -> Statement:
    """``in_the_way`` as a statement of a pipeline, for a new booking: the bookings
    holding any of the tables from ``start`` for ``minutes``, locked, by id. Read
    after ``tables_lock`` of the same tables."""
    ids = sorted(set(table_ids))
    params = {**_tables(ids), **during_params(start, minutes), "id": booking_id}
    return _in_the_way(len(ids)), params


def lock_tables(ctx: Placing, table_ids: Iterable[str | uuid.UUID]) -> None:
    """Queue writers of the same tables behind each other, in table id order.

    Two transactions inserting overlapping rows would otherwise each wait for
    the other inside the exclusion check, a deadlock PostgreSQL only breaks
    after deadlock_timeout. NO KEY UPDATE leaves foreign-key checks unblocked.
    """
    ids = {uuid.UUID(str(t)) for t in table_ids}
    if ids:
        pipelined(ctx.session, tables_lock(ids))


def in_the_way(ctx: Placing, b: DomainBooking, *, besides: Sequence[str] = ()) -> list[Booking]:
    """Other bookings holding any of ``b``'s tables during its stay, locked, by id.

    Call with the tables locked. ``besides``: bookings that are moving too.
    """
    mine = {uuid.UUID(b.id), *(uuid.UUID(x) for x in besides)}
    ids = ctx.session.scalars(
        select(BookingTable.booking_id)
        .where(
            BookingTable.table_id.in_([uuid.UUID(t) for t in b.table_ids]),
            BookingTable.during.op("&&")(during(b)),
            BookingTable.booking_id.not_in(mine),
        )
        .distinct()
    ).all()
    if not ids:
        return []
    rows = (
        select(Booking)
        .where(Booking.id.in_(ids))
        .order_by(Booking.id)
        .with_for_update(key_share=True)
    )
    return list(ctx.session.scalars(rows))


def release(ctx: Placing, booking_id: str | uuid.UUID) -> None:
    ctx.session.execute(
        delete(BookingTable).where(BookingTable.booking_id == uuid.UUID(str(booking_id)))
    )


def hold(ctx: Placing, b: DomainBooking) -> None:
    """The booking's table rows, replacing whatever it held."""
    release(ctx, b.id)
    if b.holds_tables:
        ctx.session.execute(
            insert(BookingTable),
            [
                {
                    "booking_id": uuid.UUID(b.id),
                    "table_id": uuid.UUID(t),
                    "venue_id": ctx.venue_id,
                    "during": during(b),
                }
                for t in b.table_ids
            ],
        )


def flag(
    ctx: IntentContext, placement: Placement, rows: Sequence[Booking], winner: DomainBooking
) -> None:
    """Move aside the reservations a seated party (or staff overruling) took the tables from."""
    by_id = {str(r.id): r for r in rows}
    for other in placement.flagged:
        row = by_id[other.id]
        moved = flagged_to_move(other, ctx.now)
        store.write_booking(row, moved)
        ctx.touch(row)
        ctx.session.flush()
        release(ctx, other.id)
        record_conflict(
            ctx,
            p.ConflictKind.OVERLAP,
            other.id,
            {
                "mine": summary(other),
                "theirs": summary(winner),
                "message": f"A party was seated at table {numbers(ctx, winner.table_ids)}; "
                f"booking {other.reference} must move.",
            },
            other=winner.id,
        )


def overlap_detail(ctx: IntentContext, b: DomainBooking, other: DomainBooking) -> dict[str, Any]:
    return {
        "mine": summary(b),
        "theirs": summary(other),
        "message": f"Table {numbers(ctx, b.table_ids)} is already taken by "
        f"booking {other.reference} at that time.",
    }


def record_conflict(
    ctx: IntentContext,
    kind: p.ConflictKind,
    booking_id: str | uuid.UUID,
    detail: dict[str, Any],
    other: str | uuid.UUID | None = None,
) -> Conflict:
    conflict = Conflict(
        id=uuid.uuid4(),
        venue_id=ctx.venue_id,
        kind=kind.value,
        state=p.ConflictState.OPEN.value,
        booking_id=uuid.UUID(str(booking_id)),
        other_booking_id=uuid.UUID(str(other)) if other else None,
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


_SUMMARY = (
    "reference",
    "status",
    "party_size",
    "start",
    "duration_minutes",
    "table_ids",
    "combined",
)


def summary(b: DomainBooking) -> dict[str, Any]:
    """The fields staff compare in a conflict, as JSON."""
    snapshot = booking_snapshot(b)
    return {"booking_id": b.id, **{name: snapshot[name] for name in _SUMMARY}}


def numbers(ctx: IntentContext, table_ids: Iterable[str]) -> str:
    ids = [str(t) for t in table_ids]
    try:
        return ctx.rules.plan.numbers(ids)
    except Exception:
        return ", ".join(ids)
