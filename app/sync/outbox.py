"""Reading the outbox as the wire's mutations.

An intent is sent exactly as it was stored, every time: the server recognises a
retried intent by its ``device_seq`` and the hash of its body, so the body must
not change between attempts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.journal import audit_wire, event_of
from app.models.sync_tables import SyncStaffAliasRow
from app.models.tables import AuditEventRow, OutboxRow


def pending(session: Session, limit: int | None = None) -> list[OutboxRow]:
    query = select(OutboxRow).order_by(OutboxRow.device_seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def mutations(session: Session, device_id: str, rows: list[OutboxRow]) -> list[dict[str, Any]]:
    """The wire bodies of ``rows``, each with the audit events written with it."""
    wanted = [audit_id for row in rows for audit_id in row.audit_ids]
    events = {
        r.id: event_of(r)
        for r in session.scalars(select(AuditEventRow).where(AuditEventRow.id.in_(wanted)))
    }
    aliases = dict(
        session.execute(select(SyncStaffAliasRow.old_id, SyncStaffAliasRow.new_id)).all()
    )
    return [
        {
            "name": row.name,
            "mutation_id": row.mutation_id,
            "device_id": device_id,
            "device_seq": row.device_seq,
            "entity_id": row.entity_id,
            "base_version": row.base_version,
            "args": row.args,
            "previous": row.previous,
            "staff_id": aliases.get(row.staff_id, row.staff_id),
            "device_time": row.device_time.isoformat(),
            "protocol_version": row.protocol_version,
            "schema_version": row.schema_version,
            "audit": [audit_wire(events[a]) for a in row.audit_ids],
        }
        for row in rows
    ]
