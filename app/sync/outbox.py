"""Reading the outbox: each intent's body exactly as the journal stored it.

An intent is sent exactly as it was stored, every time: the server recognises a
retried intent by its ``device_seq`` and the hash of its body, so the body must
not change between attempts. The journal writes it once (app/models/journal.py).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.tables import OutboxRow


def pending(session: Session, limit: int | None = None) -> list[OutboxRow]:
    query = select(OutboxRow).order_by(OutboxRow.device_seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow)) or 0


def bodies(rows: list[OutboxRow]) -> list[str]:
    """The wire bodies of ``rows``, as stored."""
    return [row.body for row in rows]
