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
from sqlalchemy import delete, insert

from app import protocol as p
from app.domain.booking import Booking as DomainBooking
from app.domain.booking import booking_snapshot
from app.domain.conflicts import ALLOWED
from app.domain.kernel.placement import Placement, flagged_to_move
from app.domain.references import format_reference
from app.protocol.codec import booking_of
from server.sync import store
from server.sync.context import IntentContext, Placing
from server.sync.models import LOCK_BOOKING, Booking, BookingTable, Conflict
from server.sync.pipeline import Statement, pipelined
from server.venues.service import PLAN_KEY_NAMES, PLAN_KEY_PIPELINED, venue_rules


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
@lru_cache(maxsize=32)
def _placeholders(prefix: str, n: int) -> str:
    return ", ".join(f"%({prefix}{i})s" for i in range(n))


def _named(prefix: str, ids: Sequence[uuid.UUID]) -> dict[str, uuid.UUID]:
    return {f"{prefix}{i}": one for i, one in enumerate(ids)}


def _tables_in(n: int) -> str:
    return _placeholders("t", n)


def _tables(ids: list[uuid.UUID]) -> dict[str, uuid.UUID]:
    return _named("t", ids)


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
# 2026-12-03); the generic plan runs the same index scans. The bookings found are locked
# as every writer locks a booking it may change (LOCK_BOOKING).
@lru_cache(maxsize=32)
def _in_the_way(tables: int, besides: int) -> str:
    return (
        "SELECT * FROM bookings WHERE id IN (SELECT booking_id FROM booking_tables "
        f"WHERE table_id IN ({_tables_in(tables)}) AND during && (SELECT {DURING}) "
        f"AND booking_id NOT IN ({_placeholders('b', besides)})) ORDER BY id {LOCK_BOOKING}"
    )


def in_the_way_read(
    table_ids: Iterable[str | uuid.UUID],
    start: datetime,
    minutes: int,
    besides: Iterable[str | uuid.UUID],
) -> Statement:
    """The bookings holding any of the tables from ``start`` for ``minutes``, other than
    ``besides`` (the booking placed, and any moving with it), locked, by id: a statement
    of a pipeline. Read after ``tables_lock`` of the same tables."""
    ids = sorted({uuid.UUID(str(t)) for t in table_ids})
    mine = sorted({uuid.UUID(str(b)) for b in besides})
    params = {**_tables(ids), **during_params(start, minutes), **_named("b", mine)}
    return _in_the_way(len(ids), len(mine)), params


class PlanMoved(Exception):
    """The venue's rules (its floor plan, hours or prices) changed between the intent's
    read of them and its tables' locks: the intent is judged again from the start
    (push.py), by the rules now in force."""


_RULES_KEY = f"SELECT {PLAN_KEY_PIPELINED}"


def lock_tables(ctx: Placing, table_ids: Iterable[str | uuid.UUID]) -> None:
    """Queue writers of the same tables behind each other, in table id order.

    Two transactions inserting overlapping rows would otherwise each wait for
    the other inside the exclusion check, a deadlock PostgreSQL only breaks
    after deadlock_timeout. NO KEY UPDATE leaves foreign-key checks unblocked.

    The change was worked out by the venue's rules read before these locks; a floor
    edit that held them (server/sync/floor.py locks the tables it changes) may have
    committed meanwhile, retiring a join or cutting a table. So the rules' key is
    read again behind the locks, in the same round trip, and rules that moved raise
    ``PlanMoved``: the booking never lands on tables the plan no longer has.
    """
    ids = {uuid.UUID(str(t)) for t in table_ids}
    if not ids:
        return
    _, (key,) = pipelined(ctx.session, tables_lock(ids), (_RULES_KEY, {"venue": ctx.venue_id}))
    judged_by = ctx.rules
    if judged_by is not None:
        in_force = venue_rules(ctx.session, ctx.venue_id, tuple(key[n] for n in PLAN_KEY_NAMES))
        if in_force is not judged_by and in_force != judged_by:
            raise PlanMoved


def in_the_way(
    ctx: Placing, b: DomainBooking, *, besides: Sequence[str] = ()
) -> list[DomainBooking]:
    """Other bookings holding any of ``b``'s tables during its stay, locked, by id: the
    create push's statement (``in_the_way_read``), sent on its own.

    Call with the tables locked. ``besides``: bookings that are moving too.
    """
    ctx.session.flush()  # the statement goes past the ORM, which must have written first
    read = in_the_way_read(b.table_ids, b.start, b.duration_minutes, [b.id, *besides])
    (rows,) = pipelined(ctx.session, read)
    return [booking_of(r) for r in rows]


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


def flag(ctx: IntentContext, placement: Placement, winner: DomainBooking) -> None:
    """Move aside the reservations a seated party (or staff overruling) took the tables from.

    Their rows were locked when read as in the way."""
    for other in placement.flagged:
        row = ctx.session.get(Booking, uuid.UUID(other.id), populate_existing=True)
        assert row is not None, "a booking read as in the way, and locked, is there"
        store.write_booking(row, flagged_to_move(other, ctx.now))
        ctx.touch(row)
        ctx.session.flush()
        release(ctx, other.id)
        record_conflict(
            ctx, p.ConflictKind.OVERLAP, other.id, moved_aside(ctx, other, winner), winner.id
        )


def detail(mine: DomainBooking, theirs: DomainBooking | None, message: str) -> dict[str, Any]:
    """A booking conflict's detail, as every desk shows it: the two bookings and why."""
    return {
        "mine": summary(mine),
        "theirs": None if theirs is None else summary(theirs),
        "message": message,
    }


def moved_aside(ctx: IntentContext, other: DomainBooking, winner: DomainBooking) -> dict[str, Any]:
    """The conflict's detail for a reservation whose tables a seated party took."""
    message = (
        f"A party was seated at table {numbers(ctx, winner.table_ids)}; "
        f"booking {format_reference(other.reference)} must move."
    )
    return detail(other, winner, message)


def overlap_detail(ctx: IntentContext, b: DomainBooking, other: DomainBooking) -> dict[str, Any]:
    message = (
        f"Table {numbers(ctx, b.table_ids)} is already taken by "
        f"booking {format_reference(other.reference)} at that time."
    )
    return detail(b, other, message)


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
