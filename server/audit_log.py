"""Audit events the server writes itself, as ``app.domain.audit.SERVER``.

Desks write their own events, hash-chained per desk, and ship them with their
intents (server/sync/audit.py). A change no desk made — a payment link that expired
unpaid releasing its booking's tables — is recorded here in the same table, with no
desk (``device_id`` NULL), in one chain per venue: the same ``seal`` as a desk's,
hashed with ``SERVER.id`` as its device, so ``verify_chain`` checks it too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.domain.audit import GENESIS, SERVER, ChainBreak, seal, verify_chain
from app.domain.audit import AuditEvent as ChainEvent
from server.sync.models import AuditEvent

# The erasure's own event (server/guests/erase.py), which lists the events it scrubbed.
ERASED = "guest erased"
# A change about a guest erased meanwhile, refused: the desk's audit events it carried
# are kept scrubbed of the guest, and this event lists them as an erasure's does.
FORGOTTEN_REFUSED = "change about an erased guest refused"

# One writer of a venue's server chain at a time (the webhook and the reconciliation
# may both be applying an expiry); held until the caller's transaction ends.
_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('backroom.server_audit'), hashtext(:venue))")


def record(
    session: Session,
    venue_id: uuid.UUID,
    *,
    event_id: uuid.UUID,
    at: datetime,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    """Append one event to the venue's server chain, inside the caller's transaction.

    ``event_id`` is derived by the caller from what happened, so the same change
    applied twice could never be recorded twice.
    """
    at = at.astimezone(UTC)  # hashed as written: the same text when read back
    session.execute(_LOCK, {"venue": str(venue_id)})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.venue_id == venue_id, AuditEvent.device_id.is_(None))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last is not None else (1, GENESIS)
    event = seal(
        id=str(event_id),
        device_id=SERVER.id,
        seq=seq,
        at=at,
        staff_id=SERVER.id,
        staff_name=SERVER.name,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
        prev_hash=prev_hash,
    )
    session.add(
        AuditEvent(
            id=event_id,
            venue_id=venue_id,
            device_id=None,
            seq=seq,
            at=at,
            staff_id=uuid.UUID(SERVER.id),
            staff_name=SERVER.name,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=event.before,
            after=event.after,
            prev_hash=prev_hash,
            hash=event.hash,
        )
    )
    # Written now, so a second event in the same transaction reads this one as the last.
    session.flush()


def server_chain(session: Session, venue_id: uuid.UUID) -> list[ChainEvent]:
    """The venue's server chain as stored, in order."""
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.venue_id == venue_id, AuditEvent.device_id.is_(None))
        .order_by(AuditEvent.seq)
    )
    return [
        ChainEvent(
            id=str(r.id),
            device_id=SERVER.id,
            seq=r.seq,
            at=r.at.astimezone(UTC),
            staff_id=str(r.staff_id),
            staff_name=r.staff_name,
            action=r.action,
            entity=r.entity,
            entity_id=str(r.entity_id),
            before=r.before,
            after=r.after,
            prev_hash=r.prev_hash,
            hash=r.hash,
        )
        for r in rows
    ]


def verify_server_chain(session: Session, venue_id: uuid.UUID) -> ChainBreak | None:
    """The first break in the venue's server chain. Events a guest's erasure scrubbed are
    taken as redacted only where an erasure's own event, itself intact, lists them."""
    events = server_chain(session, venue_id)
    return verify_chain(events, redacted=redacted_ids(session, venue_id))


def redacted_ids(session: Session, venue_id: uuid.UUID) -> frozenset[str]:
    """Every audit event of the venue an erasure scrubbed, as the erasures list them."""
    lists = session.scalars(
        select(AuditEvent.after).where(
            AuditEvent.venue_id == venue_id,
            AuditEvent.device_id.is_(None),
            AuditEvent.action.in_((ERASED, FORGOTTEN_REFUSED)),
        )
    )
    return frozenset(i for listed in lists for i in (listed or {}).get("redacted", []))
