"""Everything this desk's file holds about a guest: a desk that works alone, with no
server, answers a guest's request for their data from it (docs/data-protection.md).

As on the server (server/guests/data.py), the tables that can name a guest are listed
once with how (``SECTIONS``), every other table says why it cannot, a test holds the
lists to the desk's schema, and rows are read through the tables' metadata, every
column of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, Text, cast, false, func, or_, select
from sqlalchemy.orm import Session

from app.domain.data_requests import FoundBy, GuestKey, plain_row
from app.models.base import Base

# Every table of the desk's file is on Base once app.models.tables is imported.
from app.models.tables import BookingRow, CustomerRow


@dataclass(frozen=True, slots=True)
class Found:
    customer_ids: tuple[str, ...]
    booking_ids: tuple[str, ...]
    addresses: tuple[str, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return self.customer_ids + self.booking_ids


Where = Callable[[Table, Found], ColumnElement[bool]]


def _mentions(column: str) -> Where:
    """A kept copy naming the guest's phone or email (a notice, a change's body)."""

    def where(table: Table, found: Found) -> ColumnElement[bool]:
        return or_(
            false(),
            *(cast(table.c[column], Text).contains(a, autoescape=True) for a in found.addresses),
        )

    return where


def _by(column: str, of: str = "ids") -> Where:
    return lambda table, found: table.c[column].in_(getattr(found, of))


SECTIONS: dict[str, Where] = {
    "customer": _by("id", "customer_ids"),
    "booking": _by("customer_id", "customer_ids"),
    "booking_table": _by("booking_id", "booking_ids"),
    "deposit_ledger": _by("booking_id", "booking_ids"),
    "deposit_requests": _by("booking_id", "booking_ids"),
    "guest_messages": _by("booking_id", "booking_ids"),
    "guest_replies": _by("booking_id", "booking_ids"),
    "waitlist_offer": _by("booking_id", "booking_ids"),
    "waitlist_skip": _by("booking_id", "booking_ids"),
    "sync_conflict": lambda t, f: or_(
        t.c.booking_id.in_(f.booking_ids), t.c.other_booking_id.in_(f.booking_ids)
    ),
    "venue_refusal": lambda t, f: or_(t.c.entity_id.in_(f.ids), _mentions("args")(t, f)),
    "outbox": lambda t, f: or_(t.c.entity_id.in_(f.ids), _mentions("body")(t, f)),
    "sync_outcome": lambda t, f: or_(t.c.entity_id.in_(f.ids), _mentions("body")(t, f)),
    "sync_shadow": _by("id"),
    "sync_notice": lambda t, f: or_(_mentions("message")(t, f), _mentions("detail")(t, f)),
    "audit_event": lambda t, f: or_(
        t.c.entity_id.in_(f.ids), _mentions("before")(t, f), _mentions("after")(t, f)
    ),
}

_SETUP = "the venue's own set-up: no guest in it"
NOT_ABOUT_GUESTS: dict[str, str] = {
    "venue": _SETUP,
    "area": _SETUP,
    "dining_table": _SETUP,
    "combination": _SETUP,
    "deposit_policies": _SETUP,
    "staff": "the venue's staff: no guest in it",
    "sync_staff_alias": "which staff ids the server gave this desk's staff",
    "device": "this desk's own identity and sync cursor",
    "sync_hold": "tables held for a few minutes while a form is open: tables and times only",
    "waitlist_freed": "tables that came free for the waitlist: tables and times only",
}


def find_guests(session: Session, key: GuestKey) -> Found:
    query = select(CustomerRow.id, CustomerRow.phone, CustomerRow.email)
    if key.by is FoundBy.PHONE:
        query = query.where(CustomerRow.phone == key.value)
    elif key.by is FoundBy.EMAIL:
        query = query.where(func.lower(CustomerRow.email) == key.value.lower())
    else:
        query = query.join(BookingRow, BookingRow.customer_id == CustomerRow.id).where(
            BookingRow.reference == key.value
        )
    guests = session.execute(query).all()
    ids = tuple(dict.fromkeys(g.id for g in guests))
    bookings = session.scalars(select(BookingRow.id).where(BookingRow.customer_id.in_(ids)))
    addresses = (g.phone for g in guests), (g.email for g in guests)
    return Found(
        customer_ids=ids,
        booking_ids=tuple(bookings),
        addresses=tuple(dict.fromkeys(a for group in addresses for a in group if a)),
    )


def gather(session: Session, found: Found) -> dict[str, list[dict[str, Any]]]:
    """Every row of every section that names the guests found, every column of each."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, where in SECTIONS.items():
        table = Base.metadata.tables[name]
        rows = session.execute(select(table).where(where(table, found))).mappings()
        tables[name] = [plain_row(row) for row in rows]
    return tables
