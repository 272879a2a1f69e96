"""The audit events an intent carries: they must continue the desk's hash chain."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

from app import protocol as p
from app.domain.audit import AuditEvent as ChainEvent
from app.domain.audit import verify_chain
from server.sync.context import Desk

_NOT_STORED = {"redacted"}


def verified_events(
    desk: Desk, m: p.MutationBase, *, taken: int = 0
) -> tuple[str | None, str | None]:
    """(why the chain is broken, or None; the events as JSON rows to store, or None).

    ``taken``: how many of the intent's event ids are already stored.
    """
    if not m.audit:
        return None, None
    if any(e.device_id != desk.id for e in m.audit):
        return "An audit event in this intent was written by another desk.", None
    events = [
        ChainEvent(
            id=str(e.id),
            device_id=str(e.device_id),
            seq=e.seq,
            at=e.at,
            staff_id=str(e.staff_id),
            staff_name=e.staff_name,
            action=e.action,
            entity=e.entity,
            entity_id=str(e.entity_id),
            before=e.before,
            after=e.after,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in m.audit
    ]
    # Scrubbed by the desk's erasure of a guest before it was sent: the erase_guest
    # intent that follows lists them, and the server's chain keeps that list.
    redacted = {str(e.id) for e in m.audit if e.redacted}
    broken = verify_chain(
        events, start_hash=desk.audit_hash, start_seq=desk.audit_seq + 1, redacted=redacted
    )
    if broken is not None:
        return f"This desk's audit trail does not verify ({broken}); the intent was refused.", None
    if taken or len({e.id for e in m.audit}) < len(m.audit):
        # The chain itself holds, so the desk's next events can follow it; these cannot be
        # stored under ids already used, and the refusal's reason records why they are not.
        desk.audit_seq, desk.audit_hash = m.audit[-1].seq, m.audit[-1].hash
        return "An audit event in this intent reuses an id already recorded; refused.", None
    rows: list[dict[str, Any]] = [
        {**e.model_dump(mode="json", exclude=_NOT_STORED), "venue_id": str(desk.venue_id)}
        for e in m.audit
    ]
    desk.audit_seq, desk.audit_hash = m.audit[-1].seq, m.audit[-1].hash
    return None, to_json(rows).decode()
