"""Writes the demo's past nights (app.services.demo_history) in one transaction, in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.domain.audit import AuditEvent
from app.domain.booking import BOOKING_FIELDS, Booking
from app.domain.customer import Customer
from app.domain.deposit_ledger import LedgerEntry
from app.models.ledger_tables import DepositLedgerRow
from app.models.tables import AuditEventRow, BookingRow, BookingTableRow, CustomerRow
from app.models.uow import Store


def write_history(
    store: Store,
    customers: Sequence[Customer],
    bookings: Sequence[tuple[Booking, date]],
    events: Sequence[AuditEvent],
    ledger: Sequence[LedgerEntry],
) -> None:
    with store.writer.begin() as conn:
        venue_id = bookings[0][0].venue_id if bookings else ""
        at = min((b.created_at for b, _ in bookings), default=None)
        conn.execute(
            CustomerRow.__table__.insert(),
            [
                {
                    "id": c.id,
                    "venue_id": venue_id,
                    "name": c.name,
                    "phone": c.phone,
                    "email": None,
                    "tags": [],
                    "notes": "",
                    "updated_at": at,
                }
                for c in customers
            ],
        )
        conn.execute(BookingRow.__table__.insert(), [_booking(b, day) for b, day in bookings])
        conn.execute(
            BookingTableRow.__table__.insert(),
            [
                {"booking_id": b.id, "table_id": t, "position": i}
                for b, _ in bookings
                for i, t in enumerate(b.table_ids)
            ],
        )
        conn.execute(AuditEventRow.__table__.insert(), [_fields(e) for e in events])
        if ledger:
            conn.execute(
                DepositLedgerRow.__table__.insert(),
                [
                    {
                        "id": e.id,
                        "booking_id": e.booking_id,
                        "kind": e.kind.value,
                        "amount_pence": e.amount_pence,
                        "currency": e.currency,
                        "method": e.method.value if e.method else None,
                        "note": e.note,
                        "staff_id": events[0].staff_id,
                        "staff_name": e.staff_name,
                        "device_id": events[0].device_id,
                        "recorded_at": e.recorded_at,
                        "provider_ref": None,
                        "version": 0,
                        "mutation_id": None,
                    }
                    for e in ledger
                ],
            )


_EVENT_FIELDS = tuple(AuditEvent.__dataclass_fields__)


def _fields(e: AuditEvent) -> dict[str, Any]:
    # Not dataclasses.asdict: it deep-copies every snapshot, the bulk of the cost here.
    return {name: getattr(e, name) for name in _EVENT_FIELDS}


def _booking(b: Booking, day: date) -> dict[str, Any]:
    row: dict[str, Any] = {"service_day": day}
    for name in BOOKING_FIELDS:
        if name != "table_ids":
            value = getattr(b, name)
            row[name] = getattr(value, "value", value)
    return row
