"""The server's rows as the domain's bookings and guests, and back, from one list of fields.

A booking row has exactly ``BOOKING_FIELDS`` (app.domain.booking) as columns
(a test holds the two together), so nothing here names a field. Statements
written out for the hot path are built from the tables' metadata.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Any

from sqlalchemy import Table

from app.domain import consent
from app.domain.booking import BOOKING_FIELDS
from app.domain.booking import Booking as DomainBooking
from app.domain.customer import Customer as DomainCustomer
from app.protocol.codec import CUSTOMER_FIELDS, booking_of, customer_of
from server.sync.models import Booking, Customer
from server.sync.pipeline import Statement

# The fields a judge never writes: the row's identity, and the version the outcome stamps.
_FIXED = frozenset({"id", "venue_id", "version"})
# The version of the intent's own transaction, as the outcome statement names it
# (server.sync.outcome): a stamped insert is valid only inside that statement.
STAMP = "(SELECT version FROM v)"


def _column_value(name: str, value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if name == "table_ids":
        return [uuid.UUID(t) for t in value]
    if name in ("id", "customer_id", "venue_id"):
        return uuid.UUID(value)
    if name == "tags":
        return list(value)
    if name == "consent":
        return consent.to_json(value)
    return value


def booking_values(b: DomainBooking) -> dict[str, Any]:
    """A booking's column values, every field."""
    return {name: _column_value(name, getattr(b, name)) for name in BOOKING_FIELDS}


def booking(row: Booking) -> DomainBooking:
    return booking_of({name: getattr(row, name) for name in BOOKING_FIELDS})


def write_booking(row: Booking, b: DomainBooking) -> None:
    for name, value in booking_values(b).items():
        if name not in _FIXED:
            setattr(row, name, value)


def customer(row: Customer) -> DomainCustomer:
    return customer_of({name: getattr(row, name) for name in CUSTOMER_FIELDS})


def customer_values(c: DomainCustomer) -> dict[str, Any]:
    return {name: _column_value(name, getattr(c, name)) for name in CUSTOMER_FIELDS}


def write_customer(row: Customer, c: DomainCustomer) -> None:
    for name, value in customer_values(c).items():
        if name not in _FIXED:
            setattr(row, name, value)


def insert(
    table: Table, values: Mapping[str, Any], *, conflict: str = "", stamped: bool = False
) -> Statement:
    """``INSERT`` of one row, its columns named by the table's metadata; psycopg's
    placeholders. ``conflict`` is an ``ON CONFLICT`` clause. Returns a row when inserted.

    ``stamped``: the row takes the intent's version as it goes in (for
    ``IntentContext.created``, which the outcome statement writes).
    """
    unknown = set(values) - {c.name for c in table.columns}
    assert not unknown, f"{table.name} has no columns {sorted(unknown)}"
    assert not (stamped and "version" in values), "a stamped row takes the intent's version"
    names = [c.name for c in table.columns if c.name in values]
    given = [f"%({n})s" for n in names]
    if stamped:
        names, given = [*names, "version"], [*given, STAMP]
    columns = ", ".join(names)
    placeholders = ", ".join(given)
    sql = f"INSERT INTO {table.name} ({columns}) VALUES ({placeholders}) {conflict} RETURNING 1"
    return sql, dict(values)


def update(table: Table, row_id: uuid.UUID, values: Mapping[str, Any]) -> Statement:
    """``UPDATE`` of one row by id, setting ``values`` (never its identity or version)."""
    names = [c.name for c in table.columns if c.name in values and c.name not in _FIXED]
    assert len(names) == len(set(values) - _FIXED), "a value names no column"
    sets = ", ".join(f"{n} = %({n})s" for n in names)
    sql = f"UPDATE {table.name} SET {sets} WHERE id = %(row_id)s RETURNING 1"
    return sql, {**{n: values[n] for n in names}, "row_id": row_id}
