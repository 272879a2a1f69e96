"""Reading the outbox: each intent's body exactly as the journal stored it.

An intent is sent exactly as it was stored, every time: the server recognises a
retried intent by its ``device_seq`` and the hash of its body, so the body must
not change between attempts. The journal writes it once (app/models/journal.py).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Queued:
    """An intent waiting to be sent, read out of its row."""

    device_seq: int
    name: str
    mutation_id: str
    body: str


def queued(session: Session) -> list[Queued]:
    """Every waiting intent in ``device_seq`` order, its body as stored."""
    return [Queued(r.device_seq, r.name, r.mutation_id, r.body) for r in pending(session)]
