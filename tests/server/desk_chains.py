"""The desks' audit chains as the server keeps them, to verify in a test."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEvent as ChainEvent
from app.domain.audit import ChainBreak, verify_chain
from server.audit_log import redacted_ids
from server.sync.models import AuditEvent


def desk_chains(session: Session) -> dict[str, list[ChainEvent]]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.device_id.is_not(None)).order_by(AuditEvent.seq)
    ).all()
    chains: dict[str, list[ChainEvent]] = {}
    for r in rows:
        chains.setdefault(str(r.device_id), []).append(
            ChainEvent(
                id=str(r.id), device_id=str(r.device_id), seq=r.seq, at=r.at,
                staff_id=str(r.staff_id), staff_name=r.staff_name, action=r.action,
                entity=r.entity, entity_id=str(r.entity_id), before=r.before, after=r.after,
                prev_hash=r.prev_hash, hash=r.hash,
            )
        )  # fmt: skip
    return chains


def broken_desk_chains(session: Session, venue_id, *, listed: bool = True) -> list[ChainBreak]:
    """Every desk chain's first break; ``listed``: taking the erasures' lists as they are."""
    redacted = redacted_ids(session, venue_id) if listed else frozenset()
    found = (verify_chain(chain, redacted=redacted) for chain in desk_chains(session).values())
    return [b for b in found if b is not None]
