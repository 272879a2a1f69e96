"""The journal: audit events and the outbox intent, written in the use case's transaction.

Rules:
* one intent per use case; its ``device_seq`` is the device row's counter plus
  one, taken inside the same ``BEGIN IMMEDIATE`` transaction, so sequence
  numbers are gap-free and a rolled-back use case leaves no number behind;
* every booking or table change writes an audit event that links to the
  device's previous event (app.domain.audit), and the intent carries those
  events so the server can verify the chain on arrival;
* the intent is validated against the wire schema and stored as the JSON body
  every push will send, byte for byte; a malformed intent fails the use case
  here rather than at the server later.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEvent, seal
from app.domain.permissions import Staff
from app.models.sync_tables import SyncStaffAliasRow
from app.models.tables import AuditEventRow, DeviceRow, OutboxRow
from app.protocol import PROTOCOL_VERSION, SCHEMA_VERSION, AnyMutation, IntentName, Mutation
from app.protocol.base import Strict

_MUTATION: TypeAdapter[AnyMutation] = TypeAdapter(Mutation)


@dataclass(frozen=True, slots=True)
class Change:
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Journal:
    def __init__(self, session: Session) -> None:
        self.session = session

    def device(self) -> DeviceRow:
        return self.session.scalars(select(DeviceRow)).one()

    def record(
        self,
        *,
        staff: Staff,
        at: datetime,
        intent: IntentName,
        entity_id: str,
        base_version: int,
        args: Strict,
        previous: dict[str, Any],
        changes: list[Change],
    ) -> AnyMutation:
        """Journal one intent with an audit event per change; the intent as it will be sent."""
        device = self.device()
        events = [self._audit(device, staff, at, intent, change) for change in changes]
        device.last_seq += 1
        mutation = _MUTATION.validate_python(
            {
                "mutation_id": str(uuid.uuid4()),
                "device_id": device.id,
                "device_seq": device.last_seq,
                "name": intent.value,
                "entity_id": entity_id,
                "base_version": base_version,
                # An argument left out means the same as one given as null.
                "args": args.model_dump(mode="json", exclude_none=True),
                "previous": previous,
                "staff_id": self._known_as(staff.id),
                "device_time": at,
                "protocol_version": PROTOCOL_VERSION,
                "schema_version": SCHEMA_VERSION,
                "audit": [audit_wire(e) for e in events],
            }
        )
        self.session.add(
            OutboxRow(
                device_seq=device.last_seq,
                mutation_id=str(mutation.mutation_id),
                name=intent.value,
                entity_id=entity_id,
                body=mutation.model_dump_json(exclude_unset=True),
            )
        )
        self.session.flush()
        return mutation

    def _known_as(self, staff_id: str) -> str:
        """The server's id for a staff member signed in here before sync re-keyed them."""
        alias = self.session.get(SyncStaffAliasRow, staff_id)
        return alias.new_id if alias is not None else staff_id

    def _audit(
        self, device: DeviceRow, staff: Staff, at: datetime, intent: IntentName, change: Change
    ) -> AuditEvent:
        event = seal(
            id=str(uuid.uuid4()),
            device_id=device.id,
            seq=device.last_audit_seq + 1,
            at=at,
            staff_id=staff.id,
            staff_name=staff.name,
            action=intent.value,
            entity=change.entity,
            entity_id=change.entity_id,
            before=change.before,
            after=change.after,
            prev_hash=device.last_audit_hash,
        )
        self.session.add(AuditEventRow(**asdict(event)))
        device.last_audit_seq = event.seq
        device.last_audit_hash = event.hash
        return event


def audit_wire(event: AuditEvent) -> dict[str, Any]:
    data = asdict(event)
    data["at"] = event.at.isoformat()
    return data
