"""Pages of changes in commit order, with this desk's outcomes, conflicts and holds.

The read runs in one REPEATABLE READ snapshot. Every version at or below the
venue's version row in that snapshot is committed (the row lock orders
commits), so ``cursor`` can safely become that version once the page is the
last one. A page never splits the rows of one version.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from app import protocol as p
from server.auth.models import Device
from server.db import end_read
from server.errors import error
from server.holds.service import live_holds
from server.sync.models import Conflict, IntentOutcome
from server.sync.push import _stored
from server.sync.rows import ENTITIES, change, conflict_record
from server.venues.models import VenueVersion


@lru_cache(maxsize=len(ENTITIES) * 2)
def _changed(model: Any, limited: bool) -> Select[Any]:
    """A kind's rows after a version, built once: desks pull after every change, and
    building the twelve statements again cost 8.0 million instructions a pull
    (docs/benchmarks.md, "Plans kept")."""
    query = select(model).where(
        model.venue_id == bindparam("venue"),
        model.version > bindparam("after"),
        model.version <= bindparam("upto"),
    )
    query = query.order_by(model.version)
    return query.limit(bindparam("limit")) if limited else query


@cache
def _kinds_changed() -> Select[Any]:
    """One row: for each kind, in ENTITIES' order, whether any of its rows changed."""
    return select(
        *(
            exists()
            .where(
                model.venue_id == bindparam("venue"),
                model.version > bindparam("after"),
                model.version <= bindparam("upto"),
            )
            .label(f"k{i}")
            for i, (_, model, _) in enumerate(ENTITIES)
        )
    )


def _fetch(
    session: Session, venue_id: uuid.UUID, after: int, upto: int, limit: int | None
) -> list[tuple[int, p.EntityKind, type[p.Row], Any]]:
    rows: list[tuple[int, p.EntityKind, type[p.Row], Any]] = []
    params = {"venue": venue_id, "after": after, "upto": upto, "limit": limit}
    # A desk pulls after every change it hears of, which touches two or three kinds: one
    # statement finds them, rather than loading all twelve kinds through the ORM.
    changed = session.execute(_kinds_changed(), params).one()
    for (kind, model, row_model), any_changed in zip(ENTITIES, changed, strict=True):
        if not any_changed:
            continue
        query = _changed(model, limit is not None)
        rows += [(r.version, kind, row_model, r) for r in session.scalars(query, params)]
    rows.sort(key=lambda r: r[0])
    return rows


# The page's other statements, built once as ``_changed`` is.
_DESK = select(Device.venue_id, Device.audit_seq, Device.audit_hash).where(
    Device.id == bindparam("device")
)
_OUTCOMES = (
    select(IntentOutcome)
    .where(
        IntentOutcome.device_id == bindparam("device"),
        IntentOutcome.version > bindparam("after"),
        IntentOutcome.version <= bindparam("cursor"),
    )
    .order_by(IntentOutcome.device_seq)
)
_CONFLICTS = (
    select(Conflict)
    .where(
        Conflict.venue_id == bindparam("venue"),
        or_(
            Conflict.state == p.ConflictState.OPEN.value,
            (Conflict.version > bindparam("after")) & (Conflict.version <= bindparam("cursor")),
        ),
    )
    .order_by(Conflict.created_at)
)


def behind(after: int, head: int) -> str:
    """Why a desk that has seen more of the venue than this server holds is given nothing:
    a server restored from an older copy would otherwise answer with its own newer rows
    only, and the desk would skip, silently and for good, every change numbered from the
    server's newest up to its cursor."""
    return (
        f"This desk has had the venue's changes up to number {after}, but the server's "
        f"newest is {head}: the server has lost changes it once had (restored from an "
        "older backup?), or this desk was connected to another server. Nothing was taken "
        "from it and this desk keeps everything it holds. Ask the server's operator "
        "whether a newer copy can be put back; if not, take the server's night again "
        "(Desk → Put this desk right…, or `backroom sync --take-server`), which keeps a "
        'copy of this file first (docs/operations.md, "The server restored from a backup").'
    )


def restored(after: int) -> str:
    """Why a desk that pulled from this database before it was restored is given nothing:
    once the restored server's new changes pass the desk's cursor, their numbers look
    like the ones the desk pulled before, and it would skip for good the changes numbered
    up to its cursor (and keep rows the server no longer has)."""
    return (
        "The server's database was put back to an older backup (its operator said so): "
        f"this desk's copy, made from its changes up to number {after}, may hold what "
        "the server lost, and the server's new changes may carry numbers this desk has "
        "passed. Nothing was taken from it and this desk keeps everything it holds: taking "
        "the server's night again (Desk → Put this desk right…, or `backroom sync "
        "--take-server`) keeps a copy of its file first and sends its unsent changes after "
        '(docs/operations.md, "The server restored from a backup").'
    )


_HEAD = select(VenueVersion.version, VenueVersion.lineage).where(
    VenueVersion.venue_id == bindparam("venue")
)


def changes_page(
    session: Session,
    device_id: uuid.UUID,
    after: int,
    limit: int,
    now: datetime,
    lineage: uuid.UUID | None = None,
) -> p.ChangesPage:
    """The page after ``after`` for a desk that last pulled from the copy ``lineage``
    (None: a desk that has not pulled yet, or one older than lineages)."""
    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    # The token was checked a moment ago; devices are never deleted.
    device = session.execute(_DESK, {"device": device_id}).one()
    venue_id = device.venue_id
    found = session.execute(_HEAD, {"venue": venue_id}).first()
    head, current = (int(found[0]), found[1]) if found else (0, None)
    if lineage is not None and current is not None and lineage != current and after > 0:
        raise error(409, restored(after))
    if after > head:
        raise error(409, behind(after, head))
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
    marks = {"device": device_id, "venue": venue_id, "after": after, "cursor": cursor}
    outcomes = session.scalars(_OUTCOMES, marks)
    conflicts = session.scalars(_CONFLICTS, marks)
    page = p.ChangesPage(
        changes=changes,
        outcomes=[_stored(o) for o in outcomes],
        conflicts=[conflict_record(c) for c in conflicts],
        holds=live_holds(session, venue_id, now),
        cursor=cursor,
        has_more=has_more,
        server_time=now,
        audit_head=p.AuditHead(seq=device.audit_seq, hash=device.audit_hash),
        lineage=current,
    )
    end_read(session)
    return page
