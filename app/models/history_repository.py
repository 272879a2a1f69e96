"""A booking's audit events, and the server's answer to each one this desk made.

An intent and its audit event are written together (app.models.journal): this
desk's intents about a booking, in ``device_seq`` order, pair with its own
events of the same action on that booking, in ``seq`` order.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.audit import AuditEvent
from app.domain.review_history import Answer
from app.models.sync_tables import SyncOutcomeRow
from app.models.tables import AuditEventRow, DeviceRow, OutboxRow


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def events_of(self, booking_id: str) -> list[AuditEvent]:
        rows = self.session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.entity_id == booking_id, AuditEventRow.entity == "booking")
            .order_by(AuditEventRow.at, AuditEventRow.seq)
        )
        return [_event(r) for r in rows]

    def answers(self, booking_id: str, events: list[AuditEvent]) -> dict[str, Answer]:
        """Event id to the server's answer, for this desk's own events of the booking."""
        device = self.session.scalars(select(DeviceRow)).one()
        pending = [
            (seq, name, Answer(pending=True))
            for seq, name in self.session.execute(
                select(OutboxRow.device_seq, OutboxRow.name).where(
                    OutboxRow.entity_id == booking_id
                )
            )
        ]
        answered = [
            (seq, name, Answer(False, outcome, reason, received_at))
            for seq, name, outcome, reason, received_at in self.session.execute(
                select(
                    SyncOutcomeRow.device_seq,
                    SyncOutcomeRow.name,
                    SyncOutcomeRow.outcome,
                    SyncOutcomeRow.reason,
                    SyncOutcomeRow.received_at,
                ).where(SyncOutcomeRow.entity_id == booking_id)
            )
        ]
        intents = sorted(pending + answered, key=lambda t: t[0])
        own = sorted((e for e in events if e.device_id == device.id), key=lambda e: e.seq)
        found: dict[str, Answer] = {}
        used: set[str] = set()
        for _seq, name, answer in intents:
            event = next((e for e in own if e.action == name and e.id not in used), None)
            if event is not None:
                used.add(event.id)
                found[event.id] = answer
        return found


def _event(row: AuditEventRow) -> AuditEvent:
    fields = {c: getattr(row, c) for c in AuditEvent.__slots__}  # type: ignore[attr-defined]
    return AuditEvent(**fields)
