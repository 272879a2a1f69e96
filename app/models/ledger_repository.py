"""The deposit ledger on this desk: entries as the server has them, and this desk's unsent ones.

An entry a use case records is written here at once (``version`` 0, with its
intent's mutation id), so it shows before any sync; the server's row with the
same id replaces it when pulled. One the server refused stays, marked with the
reason (the money may be in the till), and is not counted in the totals.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deposit_ledger import LedgerEntry, LedgerKind, PaymentMethod
from app.models.batch import rows_by_key
from app.models.ledger_tables import DepositLedgerRow
from app.models.sync_tables import SyncOutcomeRow
from app.models.tables import BookingRow
from app.protocol import AnyMutation, OutcomeKind
from app.protocol.rows import LedgerRow


class LedgerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record_unsent(self, entry: LedgerEntry, mutation: AnyMutation) -> None:
        """The entry ``mutation`` makes, on this desk until the server's row replaces it."""
        staff_id, device_id = str(mutation.staff_id), str(mutation.device_id)
        mutation_id = str(mutation.mutation_id)
        self.session.add(
            DepositLedgerRow(
                id=entry.id,
                booking_id=entry.booking_id,
                kind=entry.kind.value,
                amount_pence=entry.amount_pence,
                currency=entry.currency,
                method=entry.method.value if entry.method else None,
                note=entry.note,
                staff_id=staff_id,
                staff_name=entry.staff_name,
                device_id=device_id,
                recorded_at=entry.recorded_at,
                provider_ref=None,
                version=0,
                mutation_id=mutation_id,
            )
        )

    def between(self, start: datetime, end: datetime) -> list[LedgerEntry]:
        """Entries recorded in ``[start, end)``, oldest first."""
        rows = self.session.scalars(
            select(DepositLedgerRow)
            .where(DepositLedgerRow.recorded_at >= start, DepositLedgerRow.recorded_at < end)
            .order_by(DepositLedgerRow.recorded_at, DepositLedgerRow.id)
        ).all()
        return self._entries(rows)

    def of_bookings(self, booking_ids: Collection[str]) -> list[LedgerEntry]:
        rows = self.session.scalars(
            select(DepositLedgerRow)
            .where(DepositLedgerRow.booking_id.in_(list(booking_ids)))
            .order_by(DepositLedgerRow.recorded_at)
        ).all()
        return self._entries(rows)

    def of_nights(self, days: Collection[date]) -> list[LedgerEntry]:
        """The entries of every booking of these service days, found through the bookings'
        day index (not thousands of booking ids bound one by one); Core rows, as the
        night review reads thousands."""
        rows = self.session.execute(
            select(*DepositLedgerRow.__table__.c)
            .join(BookingRow, BookingRow.id == DepositLedgerRow.booking_id)
            .where(BookingRow.service_day.in_(list(days)))
            .order_by(DepositLedgerRow.recorded_at)
        ).all()
        return self._entries(rows)

    def _entries(self, rows: Iterable[Any]) -> list[LedgerEntry]:
        rows = list(rows)
        unsent = [r.mutation_id for r in rows if r.version == 0 and r.mutation_id]
        refused = dict(
            self.session.execute(
                select(SyncOutcomeRow.mutation_id, SyncOutcomeRow.reason).where(
                    SyncOutcomeRow.mutation_id.in_(unsent),
                    SyncOutcomeRow.outcome == OutcomeKind.REJECTED.value,
                )
            ).all()
        )
        return [_entry(r, refused) for r in rows]


def _entry(row: Any, refused: dict[str, str | None]) -> LedgerEntry:
    why = refused.get(row.mutation_id or "") if row.version == 0 else None
    if row.version == 0 and row.mutation_id in refused:
        why = why or "Refused by the server."
    return LedgerEntry(
        id=row.id,
        booking_id=row.booking_id,
        kind=LedgerKind(row.kind),
        amount_pence=row.amount_pence,
        method=PaymentMethod(row.method) if row.method else None,
        note=row.note,
        staff_name=row.staff_name,
        recorded_at=row.recorded_at,
        currency=row.currency,
        synced=row.version > 0,
        refused=why,
    )


def write_pulled(session: Session, rows: Iterable[LedgerRow]) -> None:
    """The server's entries, replacing this desk's unsent copies of them (same id)."""
    pulled = list(rows)
    ids = (str(r.id) for r in pulled)
    known = rows_by_key(session, DepositLedgerRow, DepositLedgerRow.id, ids)
    for row in pulled:
        target = known[str(row.id)]
        if target is None:
            target = known[str(row.id)] = DepositLedgerRow(id=str(row.id))
            session.add(target)
        target.booking_id, target.kind = str(row.booking_id), row.kind.value
        target.amount_pence, target.currency = row.amount_pence, row.currency
        target.method = row.method.value if row.method else None
        target.note, target.staff_id, target.staff_name = (
            row.note,
            str(row.staff_id),
            row.staff_name,
        )
        target.device_id = str(row.device_id) if row.device_id else None
        target.recorded_at, target.provider_ref = row.recorded_at, row.provider_ref
        target.version, target.mutation_id = row.version, None
