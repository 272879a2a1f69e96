"""Repositories over what sync brought to this desk: conflicts, other desks' holds, refusals."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.conflicts import ConflictKind, Resolution
from app.models.sync_tables import SyncConflictRow, SyncHoldRow, SyncOutcomeRow
from app.models.tables import DeviceRow
from app.protocol import OutcomeKind
from app.protocol.meaning import ConflictFacts


@dataclass(frozen=True, slots=True)
class SyncedConflict:
    """A conflict as the server last described it to this desk."""

    id: str
    kind: ConflictKind
    state: str
    booking_id: str
    other_booking_id: str | None
    detail: dict[str, Any]
    device_id: str
    staff_name: str
    created_at: datetime
    allowed: tuple[Resolution, ...]

    @property
    def facts(self) -> ConflictFacts:
        return ConflictFacts(self.kind, self.detail)


class ConflictRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, conflict_id: str) -> SyncedConflict | None:
        row = self.session.get(SyncConflictRow, conflict_id)
        return None if row is None else _conflict(row)

    def open(self) -> list[SyncedConflict]:
        """Open conflicts, oldest first."""
        rows = self.session.scalars(
            select(SyncConflictRow)
            .where(SyncConflictRow.state == "open")
            .order_by(SyncConflictRow.created_at, SyncConflictRow.id)
        )
        return [_conflict(r) for r in rows]


def _conflict(r: SyncConflictRow) -> SyncedConflict:
    return SyncedConflict(
        id=r.id,
        kind=ConflictKind(r.kind),
        state=r.state,
        booking_id=r.booking_id,
        other_booking_id=r.other_booking_id,
        detail=dict(r.detail or {}),
        device_id=r.device_id,
        staff_name=r.staff_name,
        created_at=r.created_at,
        allowed=tuple(Resolution(a) for a in r.allowed),
    )


class HoldRepository:
    """Other desks' live holds, as the last sync page brought them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def others(self) -> list[dict[str, Any]]:
        device_id = self.session.scalars(select(DeviceRow.id)).one_or_none()
        rows = self.session.scalars(select(SyncHoldRow))
        return [r.data for r in rows if r.data.get("device_id") != device_id]


@dataclass(frozen=True, slots=True)
class RefusedChange:
    """One of this desk's changes the server refused: what the outcome row still knows.

    The intent itself left the outbox when its outcome arrived, so its arguments
    are gone; the rows it named (a booking, a table…) are still on the desk.
    """

    device_seq: int
    name: str
    entity_id: str
    reason: str
    received_at: datetime


class RefusalRepository:
    """Refusals staff have not yet read; reading them is this desk's business alone."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def unacknowledged(self) -> list[RefusedChange]:
        """Oldest first (in the order this desk made the changes)."""
        rows = self.session.scalars(
            select(SyncOutcomeRow)
            .where(
                SyncOutcomeRow.outcome == OutcomeKind.REJECTED.value,
                SyncOutcomeRow.acknowledged.is_(False),
            )
            .order_by(SyncOutcomeRow.device_seq)
        )
        return [
            RefusedChange(r.device_seq, r.name, r.entity_id, r.reason or "", r.received_at)
            for r in rows
        ]

    def acknowledge(self, device_seqs: Collection[int]) -> int:
        """Mark these refusals read; how many were still unread."""
        if not device_seqs:
            return 0
        result = self.session.execute(
            update(SyncOutcomeRow)
            .where(
                SyncOutcomeRow.device_seq.in_(list(device_seqs)),
                SyncOutcomeRow.acknowledged.is_(False),
            )
            .values(acknowledged=True)
        )
        return int(getattr(result, "rowcount", 0) or 0)
