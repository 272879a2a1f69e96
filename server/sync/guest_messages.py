"""What an applied intent tells its guests, queued in the intent's own transaction.

After the judge, for every booking it changed (``IntentContext.changed``), the
domain's rule (app.domain.messages.causes, through server.messages.tell) says which
messages to send; their outbox rows go in the outcome statement itself, so they
commit with the change or not at all, with no round trip of their own (and a new
booking's messages may name it: constraints are checked at the statement's end).
Unsent messages a change cancels (reminders of a cancelled booking) are updated just
before it, in the same round trip. The cause is the mutation id: a push replayed, or
an intent judged again after a lost race, queues nothing twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from pydantic_core import to_json

from app import protocol as p
from app.domain.customer import Customer as DomainCustomer
from server.messages.models import OutboxMessage
from server.messages.tell import Guest, Told, guest_of, plan
from server.messages.wording import venue_templates
from server.sync.context import IntentContext, Verdict
from server.sync.models import Customer
from server.sync.pipeline import Statement
from server.sync.store import STAMP

_TOLD = (p.OutcomeKind.APPLIED, p.OutcomeKind.MERGED)
# Every desk mirrors the outbox: each row this writes or cancels takes the intent's
# version as it goes (STAMP), inside the outcome statement, like the intent's other rows.
_CANCELLED = f"status = 'cancelled', version = {STAMP}, updated_at = now()"
_CANCEL = (
    f"UPDATE message_outbox SET {_CANCELLED} "
    "WHERE booking_id = %(booking)s AND status = 'pending' RETURNING 1"
)
_CANCEL_REMINDERS = (
    f"UPDATE message_outbox SET {_CANCELLED} WHERE booking_id = %(booking)s "
    "AND status = 'pending' AND template = 'reminder' "
    "AND NOT (idempotency_key = ANY(%(keep)s)) RETURNING 1"
)


def tell(ctx: IntentContext, verdict: Verdict) -> None:
    """Queue what the intent's changes tell the guests (nothing unless it was applied)."""
    if verdict.outcome not in _TOLD or not ctx.changed:
        return
    told = Told()
    templates = venue_templates(ctx.session, ctx.rules)
    for before, after in ctx.changed.values():
        plan(
            told,
            rules=ctx.rules,
            intent=str(ctx.mutation.name),
            cause=_cause(ctx, after.id),
            before=before,
            after=after,
            guest=_guest(ctx, after.customer_id),
            now=ctx.now,
            templates=templates,
        )
    queue(ctx, told)


def _cause(ctx: IntentContext, booking_id: str) -> str:
    """The mutation id; for another booking the intent changed too (a re-arrangement), the
    mutation id and that booking, so each booking's message has a key of its own."""
    m = ctx.mutation
    own = str(getattr(m, "entity_id", "")) == booking_id
    return str(m.mutation_id) if own else f"{m.mutation_id}:{booking_id}"


def queue(ctx: IntentContext, told: Told) -> None:
    """``told`` as statements of the intent's last round trip."""
    # In the outcome statement (not before it), to take its version: one snapshot for
    # all, and a row is only ever cancelled by one and added or revived by another.
    ctx.created += [(_CANCEL, {"booking": b}) for b in told.cancel]
    ctx.created += [
        (_CANCEL_REMINDERS, {"booking": b, "keep": keep}) for b, keep in told.reminders_kept
    ]
    if told.rows:
        ctx.created.append(_insert(told.rows))


def _guest(ctx: IntentContext, customer_id: str) -> Callable[[], Guest | None]:
    def read() -> Guest | None:
        known = ctx.guests.get(customer_id)
        if known is not None:
            return _of(known)
        return guest_of(ctx.session.get(Customer, uuid.UUID(customer_id)))

    return read


def _of(c: DomainCustomer) -> Guest:
    return Guest(c.name, c.email or None, c.phone or None)


_COLUMNS = tuple(c.name for c in OutboxMessage.__table__.columns)


def _insert(rows: list[dict[str, Any]]) -> Statement:
    """All the rows in one INSERT (one placeholder, however many messages)."""
    names = [c for c in _COLUMNS if c in rows[0]]
    columns = ", ".join(names)
    sql = (
        f"INSERT INTO message_outbox ({columns}, version) SELECT {columns}, {STAMP} FROM "
        "jsonb_populate_recordset(NULL::message_outbox, CAST(%(rows)s AS jsonb)) "
        # As outbox.add_rows: a cancelled reminder due again is revived, nothing else.
        "ON CONFLICT (idempotency_key) DO UPDATE SET status = EXCLUDED.status, "
        "subject = EXCLUDED.subject, body = EXCLUDED.body, html = EXCLUDED.html, "
        "due_at = EXCLUDED.due_at, version = EXCLUDED.version, updated_at = now() "
        "WHERE message_outbox.status = 'cancelled' "
        "AND message_outbox.template = 'reminder' RETURNING 1"
    )
    # pydantic's encoder writes uuids and instants itself (json.dumps calls back into
    # Python for each), and is the faster of the two here.
    return sql, {"rows": to_json(rows).decode()}
