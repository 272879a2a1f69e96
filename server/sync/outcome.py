"""The last statement of an intent's transaction, sent together with COMMIT.

It takes the venue's next version (the row lock that orders commits), inserts
the rows the intent creates with that version, stamps every other row the
intent changed with it, stores the one outcome, advances the desk's seq and
audit chain, stores the audit events and queues the NOTIFY (delivered at
commit). New rows go in here rather than in statements of their own because
each statement costs psycopg and PostgreSQL more than the insert in it, and a
row inserted and then stamped would be written twice.

That row lock is held until the commit is durable, so every desk of the venue
waits for it: it is the venue's critical section. The statement and COMMIT go
to PostgreSQL in one pipeline (psycopg), so the lock is never held while this
process waits for the network, the GIL or a CPU; the answer is read only once
the commit is done.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from app import protocol as p
from server.messages.outbox import changed_in
from server.sync.context import Desk, Verdict
from server.sync.models import AuditEvent
from server.sync.pipeline import Statement, pipelined
from server.versioning import CHANNEL

# The tables whose rows an intent may change; each carries a version column.
VERSIONED = (
    "bookings",
    "customers",
    "conflicts",
    "tables",
    "areas",
    "combinations",
    "staff",
    "refusals",
    "deposit_requests",
    "message_outbox",
    "message_inbound",
    "deposit_ledger",
    "deposit_policies",
)


# psycopg's named placeholder, %(name)s.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=256)
def _as_cte(sql: str, i: int) -> str:
    """One created row's INSERT as the i-th CTE, its placeholders renamed c<i>_…."""
    renamed = _PLACEHOLDER.sub(lambda found: f"%(c{i}_{found[1]})s", sql)
    return f"c{i} AS ({renamed})"


@lru_cache(maxsize=256)
def _statement(tables: tuple[str, ...], audit: bool, created: tuple[str, ...] = ()) -> str:
    parts = [
        "v AS (UPDATE venue_versions SET version = version + 1 "
        "WHERE venue_id = %(venue)s RETURNING version)",
        "o AS (INSERT INTO intent_outcomes (device_id, device_seq, mutation_id, venue_id, "
        "name, body_hash, outcome, reason, conflict_id, version) SELECT %(device)s, %(seq)s, "
        "%(mutation)s, %(venue)s, %(name)s, %(hash)s, %(outcome)s, %(reason)s, %(conflict)s, "
        "version FROM v)",
        # Constraints are checked at the end of the statement, so a created row may refer
        # to one created before it here (a booking's tables to the booking).
        *(_as_cte(sql, i) for i, sql in enumerate(created)),
        "d AS (UPDATE devices SET last_seq = %(seq)s, last_seen_at = %(now)s, "
        "audit_seq = %(audit_seq)s, audit_hash = %(audit_hash)s WHERE id = %(device)s)",
    ]
    parts += [
        f"{table}_v AS (UPDATE {table} SET version = (SELECT version FROM v) "
        f"WHERE id = ANY(CAST(%({table})s AS uuid[])))"
        for table in tables
    ]
    if audit:
        # Every column the desk's event carries, beside the one the server stamps.
        columns = ", ".join(c.name for c in AuditEvent.__table__.columns if c.name != "received_at")
        parts.append(
            f"a AS (INSERT INTO audit_events ({columns}) SELECT {columns} "
            "FROM jsonb_populate_recordset(NULL::audit_events, CAST(%(audit)s AS jsonb)))"
        )
    return (
        f"WITH {', '.join(parts)} "
        "SELECT version, pg_notify(%(channel)s, CAST(%(venue)s AS text) || ':' || version) FROM v"
    )


def record_outcome(
    session: Session,
    desk: Desk,
    m: p.MutationBase,
    digest: str,
    verdict: Verdict,
    now: datetime,
    touched: dict[str, set[uuid.UUID]],
    audit_rows: str | None,
    writes: Sequence[Statement] = (),
    created: Sequence[Statement] = (),
) -> int:
    """Store the intent's outcome, commit, and return the version it committed at.

    ``writes``: the judge's own statements, sent first in the same round trip.
    ``created``: the stamped INSERTs of the rows it creates, written by this statement.
    """
    session.flush()  # ORM rows a judge changed must be written before they are stamped
    messages = changed_in(session)
    if messages:
        # Guest messages the judge queued or cancelled (server.messages.outbox): every
        # desk pulls them at this intent's version.
        touched = {**touched, "message_outbox": touched.get("message_outbox", set()) | messages}
    tables = tuple(t for t in VERSIONED if touched.get(t))
    unknown = set(touched) - set(VERSIONED)
    assert not unknown, f"rows of {unknown} changed but have no version to stamp"
    params: dict[str, object] = {
        "venue": desk.venue_id,
        "device": desk.id,
        "seq": m.device_seq,
        "mutation": m.mutation_id,
        "name": str(getattr(m, "name", "")),
        "hash": digest,
        "outcome": verdict.outcome.value,
        "reason": verdict.reason,
        "conflict": verdict.conflict_id,
        "now": now,
        "audit_seq": desk.audit_seq,
        "audit_hash": desk.audit_hash,
        "channel": CHANNEL,
        "audit": audit_rows,
    }
    params.update({table: list(touched[table]) for table in tables})
    for i, (_, values) in enumerate(created):
        params.update(_renamed(i, values))
    statement = _statement(tables, audit_rows is not None, tuple(sql for sql, _ in created))
    *_, outcome = pipelined(session, *writes, (statement, params), commit=True)
    return int(outcome[0]["version"])


def _renamed(i: int, values: Mapping[str, object]) -> dict[str, object]:
    return {f"c{i}_{name}": value for name, value in values.items()}
