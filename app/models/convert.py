"""Between ORM rows and domain dataclasses; nothing above app/models sees a row."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.domain import consent
from app.domain.booking import BOOKING_FIELDS, Booking, BookingStatus, DepositState, Source
from app.domain.customer import Customer
from app.domain.floorplan import Area, Combination, Shape, Table
from app.models.tables import (
    AreaRow,
    BookingRow,
    BookingTableRow,
    CombinationRow,
    CustomerRow,
    TableRow,
)
from app.protocol.rows import Row
from app.protocol.rows import TableRow as TableSyncRow

_ENUMS: dict[str, type[Any]] = {
    "status": BookingStatus,
    "deposit_state": DepositState,
    "source": Source,
}


def booking(row: BookingRow) -> Booking:
    """The domain booking of a desk row (every field of ``BOOKING_FIELDS``)."""
    return booking_of(row, tuple(t.table_id for t in row.tables))


def booking_of(row: Any, table_ids: tuple[str, ...]) -> Booking:
    """The domain booking of anything with the booking's columns as attributes (an ORM row)
    and its tables."""
    return booking_from_columns({name: getattr(row, name) for name in _COLUMNS}, table_ids)


_COLUMNS = tuple(name for name in BOOKING_FIELDS if name != "table_ids")


def booking_from_columns(values: dict[str, Any], table_ids: tuple[str, ...]) -> Booking:
    """The domain booking of its columns by name (extra columns ignored) and its tables."""
    fields = {name: values[name] for name in _COLUMNS}
    for name, kind in _ENUMS.items():
        fields[name] = kind(fields[name])
    return Booking(**fields, table_ids=table_ids)


def fill_booking(row: BookingRow, b: Booking, service_day: date) -> None:
    """Store every field of ``b`` in the desk row (the service day is kept for queries)."""
    for name in BOOKING_FIELDS:
        value = getattr(b, name)
        if name == "table_ids":
            if [t.table_id for t in row.tables] != list(value):
                row.tables = [
                    BookingTableRow(table_id=tid, position=i) for i, tid in enumerate(value)
                ]
        else:
            setattr(row, name, value.value if name in _ENUMS else value)
    row.service_day = service_day


def customer(row: CustomerRow, history: dict[str, int] | None = None) -> Customer:
    h = history or {}
    return Customer(
        id=row.id,
        name=row.name,
        phone=row.phone,
        email=row.email,
        vip=row.vip,
        tags=tuple(row.tags),
        notes=row.notes,
        consent=consent.from_json(row.consent),
        bookings_count=h.get("bookings", 0),
        completed_count=h.get("completed", 0),
        no_shows=h.get("no_shows", 0),
        cancellations=h.get("cancellations", 0),
    )


def fill_customer(row: CustomerRow, c: Customer, venue_id: str) -> None:
    row.id = c.id
    row.venue_id = venue_id
    row.name = c.name
    row.phone = c.phone
    row.email = c.email
    row.vip = c.vip
    row.tags = list(c.tags)
    row.notes = c.notes
    row.consent = consent.to_json(c.consent)


def area(row: AreaRow) -> Area:
    return Area(row.id, row.name, row.vip)


def table(row: TableRow) -> Table:
    return Table(
        id=row.id,
        number=row.number,
        name=row.name,
        area_id=row.area_id,
        min_covers=row.min_covers,
        max_covers=row.max_covers,
        shape=Shape(row.shape),
        x=row.x,
        y=row.y,
        width=row.width,
        height=row.height,
        rotation=row.rotation,
        booth=row.booth,
        vip=row.vip,
        active=row.active,
        min_spend_pence=row.min_spend_pence,
    )


# A table's own columns, as the desk and the sync mirror both copy them (the wire's row).
TABLE_FIELDS: tuple[str, ...] = tuple(
    n for n in TableSyncRow.model_fields if n not in Row.model_fields
)


def fill_table(row: TableRow, t: Table) -> None:
    for name in TABLE_FIELDS:
        setattr(row, name, getattr(t, name))
    row.shape = t.shape.value


def combination(row: CombinationRow) -> Combination:
    return Combination(
        id=row.id,
        name=row.name,
        table_ids=frozenset(row.table_ids),
        min_party=row.min_party,
        max_party=row.max_party,
        strategy=row.strategy,
    )
