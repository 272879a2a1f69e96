"""This desk's own record of the cancels it made: what undoing one needs to know.

A cancel is one use case: one ``cancel`` intent (in the outbox until its outcome
comes back, then in ``sync_outcome``) and one audit event holding the booking
before and after, written together. So the desk's latest cancel intent of a
booking and its latest ``cancel`` audit event of it are the same cancel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.sync_tables import SyncOutcomeRow
from app.models.tables import AuditEventRow, DeviceRow, OutboxRow
from app.protocol import IntentName, OutcomeKind

TAKEN = (OutcomeKind.APPLIED.value, OutcomeKind.MERGED.value)


@dataclass(frozen=True, slots=True)
class OwnCancel:
    """The last cancel of a booking made on this desk."""

    mutation_id: str
    device_seq: int
    # When staff cancelled, on this desk's clock (the audit event's time).
    at: datetime
    # The booking just before the cancel (its audit snapshot).
    before: dict[str, Any]
    # Still waiting for the server's answer (or never sent: a desk with no server).
    pending: bool
    # The version the server's cancel made; None while pending or if it was not applied.
    version: int | None
    # This desk already sent an undo of it.
    undone: bool


class CancelRecords:
    def __init__(self, session: Session) -> None:
        self.session = session

    def last_of(self, booking_id: str) -> OwnCancel | None:
        found = self._intents(booking_id)
        cancels = [f for f in found if f[1] == IntentName.CANCEL.value]
        if not cancels:
            return None
        seq, _name, mutation_id, pending, outcome, version = cancels[-1]
        event = self.session.scalars(
            select(AuditEventRow)
            .where(
                AuditEventRow.entity_id == booking_id,
                AuditEventRow.action == IntentName.CANCEL.value,
                AuditEventRow.device_id == select(DeviceRow.id).scalar_subquery(),
            )
            .order_by(AuditEventRow.seq.desc())
            .limit(1)
        ).first()
        if event is None or event.before is None:
            return None
        undone = any(f[0] > seq and f[1] == IntentName.UNDO_CANCEL.value for f in found)
        return OwnCancel(
            mutation_id=mutation_id,
            device_seq=seq,
            at=event.at,
            before=event.before,
            pending=pending,
            version=version if outcome in TAKEN else None,
            undone=undone,
        )

    def version_of(self, mutation_id: str) -> int | None:
        """The version an answered cancel of this desk made (None: pending or not applied)."""
        row = self.session.scalars(
            select(SyncOutcomeRow).where(SyncOutcomeRow.mutation_id == mutation_id)
        ).first()
        if row is None or row.name != IntentName.CANCEL.value or row.outcome not in TAKEN:
            return None
        return row.version

    def _intents(self, booking_id: str) -> list[tuple[int, str, str, bool, str | None, int | None]]:
        """This desk's intents about the booking, answered or not, in ``device_seq`` order."""
        pending = self.session.execute(
            select(OutboxRow.device_seq, OutboxRow.name, OutboxRow.mutation_id).where(
                OutboxRow.entity_id == booking_id
            )
        ).all()
        answered = self.session.execute(
            select(
                SyncOutcomeRow.device_seq,
                SyncOutcomeRow.name,
                SyncOutcomeRow.mutation_id,
                SyncOutcomeRow.outcome,
                SyncOutcomeRow.version,
            ).where(SyncOutcomeRow.entity_id == booking_id)
        ).all()
        rows = [(s, n, m, True, None, None) for s, n, m in pending]
        rows += [(s, n, m, False, o, v) for s, n, m, o, v in answered]
        return sorted(rows)
