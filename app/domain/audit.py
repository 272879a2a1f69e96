"""The audit log's hash chain: every device's events link to the one before.

Each event stores the previous event's hash and its own hash over a canonical
serialisation of its fields, so editing, deleting, inserting or reordering a
stored event breaks the chain at a point ``verify_chain`` names. The desk
writes the chain and the server verifies it on arrival, so both use this
module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: str
    device_id: str
    seq: int
    at: datetime
    staff_id: str
    staff_name: str
    action: str
    entity: str
    entity_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    prev_hash: str
    hash: str


_FIELD_NAMES = tuple(f.name for f in fields(AuditEvent))


def canonical(fields: Mapping[str, Any]) -> bytes:
    """Sorted keys, no spaces, ISO datetimes: the same bytes on every machine."""
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso
    ).encode()


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def event_hash(fields: Mapping[str, Any]) -> str:
    body = {k: v for k, v in fields.items() if k != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


def seal(
    *,
    id: str,
    device_id: str,
    seq: int,
    at: datetime,
    staff_id: str,
    staff_name: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    prev_hash: str,
) -> AuditEvent:
    """Build the next event of a chain with its hash."""
    fields = {
        "id": id,
        "device_id": device_id,
        "seq": seq,
        "at": at,
        "staff_id": staff_id,
        "staff_name": staff_name,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    return AuditEvent(**fields, hash=event_hash(fields))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ChainBreak:
    device_id: str
    seq: int
    event_id: str
    reason: str

    def __str__(self) -> str:
        return f"device {self.device_id}, event #{self.seq} ({self.event_id}): {self.reason}"


def verify_chain(
    events: Iterable[AuditEvent],
    start_hash: str = GENESIS,
    start_seq: int = 1,
    redacted: Collection[str] = frozenset(),
) -> ChainBreak | None:
    """The first break in one device's chain, or None if it is intact.

    ``events`` must be in stored order (by ``seq``) for a single device. ``redacted``:
    the ids of events whose guest's details were erased at the guest's request, as the
    erasure's own event lists them (app.domain.erasure); each keeps the hash it was
    sealed with, so the chain still links through it, but its contents no longer
    hash to it.
    """
    prev_hash, expected_seq = start_hash, start_seq
    for event in events:
        if event.id not in redacted and event.hash != event_hash(_fields_of(event)):
            return ChainBreak(event.device_id, event.seq, event.id, "its contents were changed")
        if event.seq != expected_seq:
            what = "an event is missing before it" if event.seq > expected_seq else "out of order"
            return ChainBreak(event.device_id, event.seq, event.id, what)
        if event.prev_hash != prev_hash:
            return ChainBreak(
                event.device_id, event.seq, event.id, "it does not follow the event before it"
            )
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return None


def _fields_of(event: AuditEvent) -> dict[str, Any]:
    # As ``seal`` hashed them: the values themselves. ``asdict`` would deep-copy the
    # before/after snapshots only to serialise them: 94 µs an event against 17 µs.
    return {name: getattr(event, name) for name in _FIELD_NAMES}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who an audit event says made a change."""

    id: str
    name: str


# The one actor of every change the server makes on its own, with no desk and no member
# of staff behind it (a payment link that expired unpaid releasing its booking's
# tables). Its events form one hash chain per venue, written by the server
# (server/audit_log.py): device_id is empty there, and ``SERVER.id`` in the hash.
SERVER = Actor(id="00000000-0000-4000-8000-5e5e5e5e5e5e", name="Backroom server")
