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
from app.domain.review import TRAIL_STATUSES, ConflictFact, OfferFact
from app.models import convert
from app.models.base import parse_utc
from app.models.ledger_repository import LedgerRepository
from app.models.ledger_tables import DepositLedgerRow
from app.models.policy_repository import pulled_policies
from app.models.sync_tables import SyncConflictRow, SyncOutcomeRow
from app.models.tables import AuditEventRow, BookingRow, BookingTableRow, CustomerRow
from app.models.waitlist_tables import FreedTableRow, OfferRow
from app.protocol import OutcomeKind

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
    """The status each audit event of the nights' bookings left it in, and when (read in
    SQL, so no snapshot is parsed in Python). Not grouped in SQL: nearly every (booking,
    status) pair is one event, and a GROUP BY on the JSON made SQLite extract it twice and
    sort it, nearly four times the cost of reading the rows (docs/benchmarks.md)."""
    a = AuditEventRow
    status = func.json_extract(type_coerce(a.after, Text), "$.status")
    return (
        select(a.entity_id, type_coerce(a.at, Text), status)
        .join(BookingRow, BookingRow.id == a.entity_id)
        .where(BookingRow.service_day.in_(days), a.entity == "booking")
    )


# What a night's headline figures are made of, in a few numbers (``ReviewRepository.stamps``).
Stamp = tuple[object, ...]


def booking_stamps_query(days: Sequence[date]) -> Select[Any]:
    """Per night: its bookings, the sum of their server versions (a pulled change raises
    one) and the latest change."""
    b = BookingRow
    return (
        select(b.service_day, func.count(), func.total(b.version), func.max(b.updated_at))
        .where(b.service_day.in_(days))
        .group_by(b.service_day)
    )


def event_stamps_query(days: Sequence[date]) -> Select[Any]:
    """Per night: the audit events of its bookings (a change made on this desk writes one).
    Counted from the entity index alone: no event row is read."""
    a = AuditEventRow
    return (
        select(BookingRow.service_day, func.count())
        .join(a, a.entity_id == BookingRow.id)
        .where(BookingRow.service_day.in_(days))
        .group_by(BookingRow.service_day)
    )


def ledger_stamps_query(days: Sequence[date]) -> Select[Any]:
    """Per night: its bookings' ledger entries, their versions, and how many of those not yet
    answered the server has refused (a refused entry stops counting)."""
    entry, answer = DepositLedgerRow, SyncOutcomeRow
    return (
        select(
            BookingRow.service_day,
            func.count(),
            func.total(entry.version),
            func.count(answer.mutation_id),
        )
        .join(entry, entry.booking_id == BookingRow.id)
        .outerjoin(
            answer,
            (answer.mutation_id == entry.mutation_id)
            & (entry.version == 0)
            & (answer.outcome == OutcomeKind.REJECTED.value),
        )
        .where(BookingRow.service_day.in_(days))
        .group_by(BookingRow.service_day)
    )


def offer_stamps_query(days: Sequence[date]) -> Select[Any]:
    """Per night: the waitlist's offers and how many have an outcome."""
    return (
        select(FreedTableRow.service_day, func.count(), func.count(OfferRow.outcome))
        .join(OfferRow, OfferRow.freed_id == FreedTableRow.id)
        .where(FreedTableRow.service_day.in_(days))
        .group_by(FreedTableRow.service_day)
    )


# Each stamp query and how many numbers it gives a night.
STAMPS = (
    (booking_stamps_query, 3),
    (event_stamps_query, 1),
    (ledger_stamps_query, 3),
    (offer_stamps_query, 2),
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
        for booking_id, table_id in run(tables_query(days)).all():
            tables.setdefault(booking_id, []).append(table_id)
        result = run(bookings_query(days))
        keys = list(result.keys())
        for row in result.all():
            values = dict(zip(keys, row, strict=True))
            booking = convert.booking_from_columns(values, tuple(tables.get(values["id"], ())))
            out[values["service_day"]].bookings.append(booking)
            day_of[booking.id] = values["service_day"]
        names: dict[str, str] = {i: n for i, n in run(guests_query(days)).all()}
        for night in out.values():
            night.guests = {b.customer_id: names.get(b.customer_id, "") for b in night.bookings}
        # The first time each booking was left in each status the review uses (stored
        # instants sort as text, so only those are parsed).
        first: dict[tuple[str, str | None], str] = {}
        for booking_id, at, status in run(trails_query(days)).all():
            if status not in TRAIL_STATUSES:
                continue
            key = (booking_id, status)
            if key not in first or at < first[key]:
                first[key] = at
        for (booking_id, status), at in sorted(first.items(), key=lambda item: item[1]):
            out[day_of[booking_id]].trails.setdefault(booking_id, []).append(
                (parse_utc(at), status)
            )
        for e in LedgerRepository(self.session).of_nights(days):
            out[day_of[e.booking_id]].ledger.append(e)
        for day, booking_id, outcome in run(offers_query(days)):
            if day in out:
                out[day].offers.append(OfferFact(booking_id, outcome))
        for day, booking_id, kind, state in run(conflicts_query(days)):
            out[day].conflicts.append(ConflictFact(booking_id, kind, state))
        return out

    def stamps(self, days: Sequence[date]) -> dict[date, Stamp]:
        """Per night, numbers that change whenever anything its headline figures are made
        of changes: its bookings (a change made here writes an audit event; one pulled from
        the server raises the booking's version), their ledger entries (added, pulled or
        refused) and the waitlist's offers. A night's cached figures are good while its
        stamp is the same (``app.services.review``). Read by index, without reading an audit
        event: 15–35 ms for 12 nights of 300 bookings (docs/benchmarks.md)."""
        run = self.session.connection().execute
        days = list(days)
        parts: dict[date, list[object]] = {d: [] for d in days}
        for query, width in STAMPS:
            found = {row[0]: tuple(row[1:]) for row in run(query(days))}
            for day, part in parts.items():
                part.extend(found.get(day, (None,) * width))
        return {day: tuple(part) for day, part in parts.items()}

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
