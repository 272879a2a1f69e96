"""Repositories over what sync brought to this desk: conflicts, other desks' holds, refusals."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.conflicts import ConflictKind, Resolution
from app.models.sync_tables import (
    SyncConflictRow,
    SyncHoldRow,
    SyncOutcomeRow,
    SyncShadowRow,
    VenueRefusalRow,
)
from app.models.tables import BookingRow, DeviceRow
from app.protocol import EntityKind, IntentName, OutcomeKind
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
    """One of this desk's changes the server refused, as its outcome row keeps it.

    The intent left the outbox when its outcome arrived; its body is kept here
    (``None`` for refusals received before the desk kept bodies), so staff can
    retry or amend it. The rows it named (a booking, a table…) are still on the desk.
    """

    device_seq: int
    name: str
    entity_id: str
    reason: str
    received_at: datetime
    body: str | None = None
    # How staff settled it ("retried", "amended", "discarded", "acknowledged"); None: open.
    settled_as: str | None = None
    mutation_id: str = ""


@dataclass(frozen=True, slots=True)
class RefusedElsewhere:
    """A change another desk of the venue made and the server refused (pulled), open
    until that desk settles it or staff here acknowledge it."""

    id: str  # the refused intent's mutation id
    device_name: str
    name: str
    entity_id: str
    args: dict[str, Any]
    reason: str
    refused_at: datetime


class RefusalRepository:
    """Refused changes: open until staff settle them; settling is this desk's business alone.

    A refused new booking is settled only by retrying, amending or discarding it
    (its booking is still on the desk); ``acknowledge`` leaves it open.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def unacknowledged(self) -> list[RefusedChange]:
        """The open refusals, oldest first (in the order this desk made the changes)."""
        rows = self.session.scalars(
            select(SyncOutcomeRow)
            .where(
                SyncOutcomeRow.outcome == OutcomeKind.REJECTED.value,
                SyncOutcomeRow.acknowledged.is_(False),
            )
            .order_by(SyncOutcomeRow.device_seq)
        )
        return [_refused(r) for r in rows]

    def get(self, device_seq: int) -> RefusedChange | None:
        row = self.session.get(SyncOutcomeRow, device_seq)
        if row is None or row.outcome != OutcomeKind.REJECTED.value:
            return None
        return _refused(row)

    def refused_creations(self) -> dict[str, str]:
        """Bookings whose creation the server refused and staff have not settled: id → reason."""
        rows = self.session.execute(
            select(SyncOutcomeRow.entity_id, SyncOutcomeRow.reason).where(
                SyncOutcomeRow.outcome == OutcomeKind.REJECTED.value,
                SyncOutcomeRow.acknowledged.is_(False),
                SyncOutcomeRow.name == IntentName.CREATE_BOOKING.value,
            )
        )
        return {entity_id: reason or "" for entity_id, reason in rows}

    def acknowledge(self, device_seqs: Collection[int]) -> int:
        """Mark these refusals read; how many were still open (refused creations stay open)."""
        if not device_seqs:
            return 0
        result = self.session.execute(
            update(SyncOutcomeRow)
            .where(
                SyncOutcomeRow.device_seq.in_(list(device_seqs)),
                SyncOutcomeRow.acknowledged.is_(False),
                SyncOutcomeRow.name != IntentName.CREATE_BOOKING.value,
            )
            .values(acknowledged=True, settled_as="acknowledged")
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def elsewhere(self) -> list[RefusedElsewhere]:
        """Other desks' refusals still open there and not acknowledged here, oldest first."""
        rows = self.session.scalars(
            select(VenueRefusalRow)
            .where(VenueRefusalRow.settled.is_(None), VenueRefusalRow.acknowledged.is_(False))
            .order_by(
                VenueRefusalRow.refused_at, VenueRefusalRow.device_id, VenueRefusalRow.device_seq
            )
        )
        return [
            RefusedElsewhere(
                r.id, r.device_name, r.name, r.entity_id, dict(r.args), r.reason, r.refused_at
            )
            for r in rows
        ]

    def acknowledge_elsewhere(self, ids: Collection[str]) -> int:
        """Staff here have read these other desks' refusals; how many were still shown."""
        if not ids:
            return 0
        result = self.session.execute(
            update(VenueRefusalRow)
            .where(VenueRefusalRow.id.in_(list(ids)), VenueRefusalRow.acknowledged.is_(False))
            .values(acknowledged=True)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def server_knows_booking(self, booking_id: str) -> bool:
        """Whether the server has ever sent this desk a row for the booking."""
        return self.session.get(SyncShadowRow, (EntityKind.BOOKING.value, booking_id)) is not None

    def remove_refused_booking(self, booking_id: str) -> bool:
        """Take a booking the server never had off this desk (a discarded refused creation).

        Its refused intent's body stays on the refusal, and its audit event in the
        file, so what was asked is never lost.
        """
        row = self.session.get(BookingRow, booking_id)
        if row is None or self.server_knows_booking(booking_id):
            return False
        self.session.delete(row)
        self.session.flush()
        return True

    def settle(self, device_seq: int, how: str, by: str, at: datetime) -> bool:
        """Record that staff settled this refusal; False if it was already settled."""
        row = self.session.get(SyncOutcomeRow, device_seq)
        if row is None or row.acknowledged:
            return False
        row.acknowledged = True
        row.settled_as, row.settled_by, row.settled_at = how, by, at
        self.session.flush()
        return True


def _refused(r: SyncOutcomeRow) -> RefusedChange:
    return RefusedChange(
        r.device_seq,
        r.name,
        r.entity_id,
        r.reason or "",
        r.received_at,
        r.body,
        None if not r.acknowledged else (r.settled_as or "acknowledged"),
        r.mutation_id,
    )
