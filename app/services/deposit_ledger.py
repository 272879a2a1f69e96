"""The night's deposit ledger as the desk reads it: each entry, its booking, and the totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.deposit_ledger import LedgerEntry, LedgerTotals, totals
from app.domain.references import format_reference
from app.models.uow import Store


@dataclass(frozen=True, slots=True)
class LedgerLine:
    entry: LedgerEntry
    reference: str
    guest: str


@dataclass(frozen=True, slots=True)
class NightLedger:
    """Everything recorded in one service night (boundary to boundary, the venue's time)."""

    night: date
    lines: list[LedgerLine]
    totals: LedgerTotals


class DepositLedger:
    def __init__(self, store: Store) -> None:
        self.store = store

    def night(self, day: date) -> NightLedger:
        with self.store.read() as reader:
            start, end = reader.venue.get().venue.service_window(day)
            entries = reader.ledger.between(start, end)
            bookings = {e.booking_id: reader.bookings.get(e.booking_id) for e in entries}
            guests = reader.customers.many(
                [b.customer_id for b in bookings.values() if b is not None]
            )
        lines = []
        for e in entries:
            b = bookings[e.booking_id]
            guest = guests.get(b.customer_id) if b is not None else None
            lines.append(
                LedgerLine(
                    e,
                    format_reference(b.reference) if b is not None else "(unknown booking)",
                    guest.name if guest is not None else "",
                )
            )
        return NightLedger(day, lines, totals(entries))
