"""What the night review reads from the desk's file: several nights at once, by index.

Every query is driven by ``booking.service_day`` (``ix_booking_day_start``) and
reaches the other tables by their booking index, so twelve weeks of history cost
a handful of index searches, not scans (tests/integration/test_review_queries.py
shows each ``EXPLAIN QUERY PLAN``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, Text, func, select, type_coerce
from sqlalchemy.orm import Session

from app.domain.booking import Booking
from app.domain.deposit_ledger import LedgerEntry
from app.domain.deposits import DepositPolicy
from app.domain.review import ConflictFact, OfferFact
from app.models import convert
from app.models.base import parse_utc
from app.models.ledger_repository import LedgerRepository
from app.models.policy_repository import pulled_policies
from app.models.sync_tables import SyncConflictRow
from app.models.tables import AuditEventRow, BookingRow, BookingTableRow, CustomerRow
from app.models.waitlist_tables import FreedTableRow, OfferRow

Trail = list[tuple[datetime, str | None]]


@dataclass(slots=True)
class NightRows:
    bookings: list[Booking] = field(default_factory=list)
    guests: dict[str, str] = field(default_factory=dict)
    trails: dict[str, Trail] = field(default_factory=dict)
    ledger: list[LedgerEntry] = field(default_factory=list)
    offers: list[OfferFact] = field(default_factory=list)
    conflicts: list[ConflictFact] = field(default_factory=list)


def bookings_query(days: Sequence[date]) -> Select[Any]:
    """The bookings' columns in bulk (Core rows: no ORM identity map for thousands of rows)."""
    return select(*BookingRow.__table__.c).where(BookingRow.service_day.in_(days))


def tables_query(days: Sequence[date]) -> Select[Any]:
    t = BookingTableRow
    return (
        select(t.booking_id, t.table_id)
        .join(BookingRow, BookingRow.id == t.booking_id)
        .where(BookingRow.service_day.in_(days))
        .order_by(t.booking_id, t.position)
    )


def guests_query(days: Sequence[date]) -> Select[Any]:
    return (
        select(CustomerRow.id, CustomerRow.name)
        .join(BookingRow, BookingRow.customer_id == CustomerRow.id)
        .where(BookingRow.service_day.in_(days))
    )


def trails_query(days: Sequence[date]) -> Select[Any]:
    """When each booking was first left in each status by its audit events (read in SQL,
    so no snapshot is parsed; stored instants sort as text, so MIN is the earliest)."""
    a = AuditEventRow
    status = func.json_extract(type_coerce(a.after, Text), "$.status")
    return (
        select(a.entity_id, func.min(type_coerce(a.at, Text)), status)
        .join(BookingRow, BookingRow.id == a.entity_id)
        .where(BookingRow.service_day.in_(days), a.entity == "booking")
        .group_by(a.entity_id, status)
    )


def offers_query(days: Sequence[date]) -> Select[Any]:
    return (
        select(FreedTableRow.service_day, OfferRow.booking_id, OfferRow.outcome)
        .join(OfferRow, OfferRow.freed_id == FreedTableRow.id)
        .where(FreedTableRow.service_day.in_(days))
    )


def conflicts_query(days: Sequence[date]) -> Select[Any]:
    c = SyncConflictRow
    return (
        select(BookingRow.service_day, c.booking_id, c.kind, c.state)
        .join(c, c.booking_id == BookingRow.id)
        .where(BookingRow.service_day.in_(days))
    )


class ReviewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def nights(self, days: Sequence[date]) -> dict[date, NightRows]:
        days = list(days)
        # Core rows straight from the connection: no ORM loading for thousands of rows.
        run = self.session.connection().execute
        out = {d: NightRows() for d in days}
        day_of: dict[str, date] = {}
        tables: dict[str, list[str]] = {}
        for booking_id, table_id in run(tables_query(days)):
            tables.setdefault(booking_id, []).append(table_id)
        result = run(bookings_query(days))
        keys = list(result.keys())
        for row in result:
            values = dict(zip(keys, row, strict=True))
            booking = convert.booking_from_columns(values, tuple(tables.get(values["id"], ())))
            out[values["service_day"]].bookings.append(booking)
            day_of[booking.id] = values["service_day"]
        names: dict[str, str] = {i: n for i, n in run(guests_query(days))}
        for night in out.values():
            night.guests = {b.customer_id: names.get(b.customer_id, "") for b in night.bookings}
        for booking_id, at, status in run(trails_query(days)):
            out[day_of[booking_id]].trails.setdefault(booking_id, []).append(
                (parse_utc(at), status)
            )
        for night in out.values():
            for trail in night.trails.values():
                trail.sort(key=lambda step: step[0])
        for e in LedgerRepository(self.session).of_bookings(list(day_of)):
            out[day_of[e.booking_id]].ledger.append(e)
        for day, booking_id, outcome in run(offers_query(days)):
            if day in out:
                out[day].offers.append(OfferFact(booking_id, outcome))
        for day, booking_id, kind, state in run(conflicts_query(days)):
            out[day].conflicts.append(ConflictFact(booking_id, kind, state))
        return out

    def policies(self) -> dict[int, DepositPolicy]:
        """The deposit policy versions this desk holds (whether a cancellation was late
        is judged by the version its booking was priced under)."""
        return pulled_policies(self.session)

    def days_with_bookings(self, since: date, until: date) -> list[date]:
        rows = self.session.scalars(
            select(BookingRow.service_day)
            .where(BookingRow.service_day >= since, BookingRow.service_day <= until)
            .distinct()
            .order_by(BookingRow.service_day)
        )
        return list(rows)
