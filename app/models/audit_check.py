"""What a desk's file can still prove about itself (``backroom audit verify``).

Every device's audit chain is re-hashed from the stored text, so an event whose
JSON or time no longer parses is named as broken rather than crashing the
check. Beyond the chain: queued intents must name audit events that are still
in the file, every booking made on this desk must have an audit event (one
pulled from the server has the server's copy instead), and SQLite's own
``PRAGMA integrity_check`` must pass.

An event a guest's erasure scrubbed (``redacted_at`` set, app.models.erasure) keeps
the hash it was sealed with; its contents are taken on trust, and the server's copy,
which the erasure's own event lists, is the reference for it.

The chain is not keyed: someone with the file can rewrite every event and
every hash after it consistently, and this check cannot tell. The server's copy
of each desk's chain is the anchor for that (docs/operations.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, exists, select, text, type_coerce
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from app.domain.audit import AuditEvent, ChainBreak, verify_chain
from app.models.base import parse_utc
from app.models.faults import integrity_problem
from app.models.sync_tables import SyncShadowRow
from app.models.tables import AuditEventRow, BookingRow, DeviceRow, OutboxRow

_AUDIT = AuditEventRow.__table__.c
# The columns an event was sealed with (not the mark of a later redaction).
_SEALED = [c for c in _AUDIT if c.name in AuditEvent.__slots__]  # type: ignore[attr-defined]
_STORED_AS_TEXT = ("at", "before", "after")


@dataclass(slots=True)
class AuditReport:
    checked: int = 0
    # One sentence per thing found wrong, the chain's first break first.
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def check_audit(session: Session) -> AuditReport:
    report = AuditReport()
    report.problems += _integrity(session)
    chains = _chains(session)
    report.checked = sum(len(events) for events in chains.values())
    broken = _first_break(session, chains)
    if broken is not None:
        report.problems.insert(0, f"audit chain BROKEN at {broken}")
    report.problems += _against_the_server(session, chains)
    report.problems += _orphan_intents(session)
    report.problems += _unaudited_bookings(session)
    return report


def _integrity(session: Session) -> list[str]:
    found = integrity_problem(list(session.execute(text("PRAGMA integrity_check(5)")).scalars()))
    if found is None:
        return []
    return [
        f"the file is damaged (SQLite's integrity check: {found}); keep it as it is and "
        'restore the last good backup (docs/operations.md, "Recovery")'
    ]


Chain = list[AuditEvent | ChainBreak]


def _chains(session: Session) -> dict[str, Chain]:
    """Every device's events in stored order; one that cannot be read is its ChainBreak."""
    columns = [type_coerce(c, Text) if c.name in _STORED_AS_TEXT else c for c in _SEALED]
    rows = session.execute(select(*columns).order_by(_AUDIT.device_id, _AUDIT.seq))
    chains: dict[str, Chain] = {}
    for row in rows:
        chains.setdefault(row.device_id, []).append(_event(row))
    return chains


def _event(row: Row[Any]) -> AuditEvent | ChainBreak:
    fields = row._asdict()
    try:
        fields["at"] = parse_utc(row.at)
    except (TypeError, ValueError):
        return ChainBreak(row.device_id, row.seq, row.id, f"its time {row.at!r} does not parse")
    for name in ("before", "after"):
        try:
            fields[name] = None if fields[name] is None else json.loads(fields[name])
        except ValueError:
            return ChainBreak(
                row.device_id, row.seq, row.id, f"its '{name}' is no longer valid JSON"
            )
    return AuditEvent(**fields)


def _first_break(session: Session, chains: dict[str, Chain]) -> ChainBreak | None:
    # Scrubbed when a guest was erased: they keep their sealed hashes (app.models.erasure).
    redacted = frozenset(
        session.scalars(select(AuditEventRow.id).where(AuditEventRow.redacted_at.is_not(None)))
    )
    for chain in chains.values():
        unreadable = next((e for e in chain if isinstance(e, ChainBreak)), None)
        events = [e for e in chain if isinstance(e, AuditEvent)]
        broken = verify_chain(_before(events, unreadable), redacted=redacted)
        if broken is not None or unreadable is not None:
            return broken or unreadable
    # A chain cut at its end is still a valid chain; the device row remembers its head.
    device = session.scalars(select(DeviceRow)).one_or_none()
    if device is not None and device.last_audit_seq:
        own = [e for e in chains.get(device.id, []) if isinstance(e, AuditEvent)]
        if not own or own[-1].hash != device.last_audit_hash:
            seq, event_id = (own[-1].seq, own[-1].id) if own else (0, "-")
            return ChainBreak(device.id, seq, event_id, "events after it are missing")
    return None


def _against_the_server(session: Session, chains: dict[str, Chain]) -> list[str]:
    """This desk's chain must hold, unchanged, the event the server last said it accepted:
    a chain cut or rewritten on this desk after it synced shows here, however consistent."""
    device = session.scalars(select(DeviceRow)).one_or_none()
    if device is None or not device.server_audit_seq or device.server_audit_hash is None:
        return []
    seq = device.server_audit_seq
    held = next(
        (e for e in chains.get(device.id, []) if isinstance(e, AuditEvent) and e.seq == seq),
        None,
    )
    if held is None:
        return [
            f"the server holds this desk's audit events up to #{seq}, but #{seq} is not in "
            "this file: events were cut, or the file is older than what was synced"
        ]
    if held.hash != device.server_audit_hash:
        return [
            f"this desk's audit event #{seq} ({held.id}) differs from the copy the server "
            "accepted: the chain was rewritten on this desk after it synced"
        ]
    return []


def _before(events: list[AuditEvent], unreadable: ChainBreak | None) -> Iterator[AuditEvent]:
    """The events stored before the first unreadable one (all of them if none is)."""
    for event in events:
        if unreadable is not None and event.seq >= unreadable.seq:
            return
        yield event


def _orphan_intents(session: Session) -> list[str]:
    known = set(session.scalars(select(AuditEventRow.id)))
    problems = []
    for seq, name, body in session.execute(
        select(OutboxRow.device_seq, OutboxRow.name, OutboxRow.body).order_by(OutboxRow.device_seq)
    ):
        try:
            audit = json.loads(body).get("audit", [])
            named = [event["id"] for event in audit]
        except (ValueError, AttributeError, TypeError, KeyError):
            problems.append(f"queued intent #{seq} ({name}) is no longer valid JSON")
            continue
        problems += [
            f"queued intent #{seq} ({name}) names audit event {event_id}, which is not in the file"
            for event_id in named
            if event_id not in known
        ]
    return problems


def _unaudited_bookings(session: Session) -> list[str]:
    """Bookings neither made here (with their audit event) nor pulled from the server."""
    audited = exists().where(
        AuditEventRow.entity == "booking", AuditEventRow.entity_id == BookingRow.id
    )
    pulled = exists().where(SyncShadowRow.entity == "booking", SyncShadowRow.id == BookingRow.id)
    rows = session.execute(select(BookingRow.reference, BookingRow.id).where(~audited, ~pulled))
    return [f"booking {ref} ({id_}) has no audit event" for ref, id_ in rows]
