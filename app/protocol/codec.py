"""Between the domain's dataclasses and the wire's rows, field by field from one list.

``BOOKING_FIELDS`` (app.domain.booking) is the one list of a booking's fields;
``BookingRow`` must carry exactly those (a test holds them together), so these
conversions never name a field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from app.domain import consent
from app.domain.booking import BOOKING_FIELDS, Booking, BookingStatus, DepositState, Source
from app.domain.customer import Customer
from app.protocol.intents import CustomerData
from app.protocol.rows import BookingRow

_ENUMS: dict[str, type[Any]] = {
    "status": BookingStatus,
    "deposit_state": DepositState,
    "source": Source,
}


def _domain_value(name: str, value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if name == "table_ids":
        return tuple(str(t) for t in value)
    if name in _ENUMS:
        return _ENUMS[name](value)
    return value


def booking_row(b: Booking) -> BookingRow:
    return BookingRow.model_validate({name: getattr(b, name) for name in BOOKING_FIELDS})


def booking_of(row: BookingRow | Mapping[str, Any]) -> Booking:
    """A domain booking from a row (a ``BookingRow`` or its JSON)."""
    if not isinstance(row, BookingRow):
        row = BookingRow.model_validate(row)
    return Booking(**{name: _domain_value(name, getattr(row, name)) for name in BOOKING_FIELDS})


# A guest's own fields: the wire's CustomerData (and CustomerRow beside the sync stamps).
CUSTOMER_FIELDS: tuple[str, ...] = tuple(CustomerData.model_fields)


def _customer_value(name: str, value: Any) -> Any:
    if name == "tags":
        return tuple(value or ())
    if name == "consent":
        return consent.from_json(value)
    return _domain_value(name, value)


def customer_of(data: CustomerData | Mapping[str, Any]) -> Customer:
    """A domain guest from the wire's fields (a ``CustomerData``, or a row's JSON)."""
    values = data if isinstance(data, Mapping) else data.model_dump()
    return Customer(**{name: _customer_value(name, values.get(name)) for name in CUSTOMER_FIELDS})


def customer_data(c: Customer) -> CustomerData:
    values = {name: getattr(c, name) for name in CUSTOMER_FIELDS}
    return CustomerData.model_validate({**values, "consent": consent.to_json(c.consent)})
