"""Pages of changes in commit order, with this desk's outcomes, conflicts and holds.

The read runs in one REPEATABLE READ snapshot. Every version at or below the
venue's version row in that snapshot is committed (the row lock orders
commits), so ``cursor`` can safely become that version once the page is the
last one. A page never splits the rows of one version.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from app import protocol as p
from server.auth.models import Device
from server.db import end_read
from server.holds.service import live_holds
from server.sync.models import Conflict, IntentOutcome
from server.sync.push import _stored
from server.sync.rows import ENTITIES, change, conflict_record
from server.versioning import current_version


@lru_cache(maxsize=len(ENTITIES) * 4)
def _changed(model: Any, bounded: bool, limited: bool) -> Select[Any]:
    """A kind's rows after a version, built once: desks pull after every change, and
    building the twelve statements again cost 8.0 million instructions a pull
    (docs/benchmarks.md, "Plans kept")."""
    query = select(model).where(
        model.venue_id == bindparam("venue"), model.version > bindparam("after")
    )
    if bounded:
        query = query.where(model.version <= bindparam("upto"))
    query = query.order_by(model.version)
    return query.limit(bindparam("limit")) if limited else query


def _fetch(
    session: Session, venue_id: uuid.UUID, after: int, upto: int | None, limit: int | None
) -> list[tuple[int, p.EntityKind, type[p.Row], Any]]:
    rows: list[tuple[int, p.EntityKind, type[p.Row], Any]] = []
    params = {"venue": venue_id, "after": after, "upto": upto, "limit": limit}
    for kind, model, row_model in ENTITIES:
        query = _changed(model, upto is not None, limit is not None)
        rows += [(r.version, kind, row_model, r) for r in session.scalars(query, params)]
    rows.sort(key=lambda r: r[0])
    return rows


def changes_page(
    session: Session, device_id: uuid.UUID, after: int, limit: int, now: datetime
) -> p.ChangesPage:
    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    device = session.get(Device, device_id)
    assert device is not None  # the token was checked a moment ago; devices are never deleted
    venue_id = device.venue_id
    head = current_version(session, venue_id)
    rows = _fetch(session, venue_id, after, head, limit + 1)
    has_more = len(rows) > limit
    if not has_more:
        cursor = max(head, after)
    else:
        last = rows[limit - 1][0]
        if rows[limit][0] == last:
            # The page would split a version: stop before it, or if that
            # version alone fills the page, send all of it.
            kept = [r for r in rows[:limit] if r[0] < last]
            if kept:
                rows, cursor = kept, kept[-1][0]
            else:
                rows, cursor = _fetch(session, venue_id, after, last, None), last
        else:
            rows, cursor = rows[:limit], last
    changes = [change(kind, row_model, row) for _, kind, row_model, row in rows]
    outcomes = session.scalars(
        select(IntentOutcome)
        .where(
            IntentOutcome.device_id == device.id,
            IntentOutcome.version > after,
            IntentOutcome.version <= cursor,
        )
        .order_by(IntentOutcome.device_seq)
    )
    conflicts = session.scalars(
        select(Conflict)
        .where(
            Conflict.venue_id == venue_id,
            or_(
                Conflict.state == p.ConflictState.OPEN.value,
                (Conflict.version > after) & (Conflict.version <= cursor),
            ),
        )
        .order_by(Conflict.created_at)
    )
    page = p.ChangesPage(
        changes=changes,
        outcomes=[_stored(o) for o in outcomes],
        conflicts=[conflict_record(c) for c in conflicts],
        holds=live_holds(session, venue_id, now),
        cursor=cursor,
        has_more=has_more,
        server_time=now,
        audit_head=p.AuditHead(seq=device.audit_seq, hash=device.audit_hash),
    )
    end_read(session)
    return page
