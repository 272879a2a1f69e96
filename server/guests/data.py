"""Everything the server holds about a guest, for their data-protection request.

Which tables can name a guest, and how, is listed here once (``SECTIONS``); every other
table of the central database is listed in ``NOT_ABOUT_GUESTS`` with why, and a test
holds the two lists to the schema, so a table added later must be placed in one of them
before the suite passes. Rows are read by the tables' own metadata and given with every
column, so a column added later is in the next export without anyone remembering it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, Text, cast, false, func, or_, select
from sqlalchemy.orm import Session

from app.domain.data_requests import FoundBy, GuestKey, plain_row
from app.domain.errors import NotFound

# Every table, for their metadata (a command line has imported no router to load them).
from server.models import Base
from server.payments.models import DepositRequest
from server.sync.models import Booking, Customer
from server.venues.models import Venue


@dataclass(frozen=True, slots=True)
class Found:
    """The guests a request found, and the ids and addresses that lead to their rows."""

    customer_ids: tuple[uuid.UUID, ...]
    booking_ids: tuple[uuid.UUID, ...]
    request_ids: tuple[uuid.UUID, ...]
    phones: tuple[str, ...]
    emails: tuple[str, ...]

    @property
    def ids(self) -> tuple[uuid.UUID, ...]:
        return self.customer_ids + self.booking_ids

    @property
    def addresses(self) -> tuple[str, ...]:
        return self.phones + self.emails


Where = Callable[[Table, Found], ColumnElement[bool]]


def mentions(column: Any, found: Found) -> ColumnElement[bool]:
    """A JSON column naming the guest's phone or email anywhere (escaped: an address may
    hold ``_`` or ``%``)."""
    return or_(false(), *(cast(column, Text).contains(a, autoescape=True) for a in found.addresses))


def _named_in(column: str) -> Where:
    """A refused booking never became a row: its words name the guest only inside the
    refused change."""
    return lambda table, found: mentions(table.c[column], found)


def _any(*wheres: Where) -> Where:
    return lambda table, found: or_(*(where(table, found) for where in wheres))


# Each table that can name a guest, and which of its rows do.
SECTIONS: dict[str, Where] = {
    "customers": lambda t, f: t.c.id.in_(f.customer_ids),
    "customer_consents": lambda t, f: t.c.customer_id.in_(f.customer_ids),
    "bookings": lambda t, f: t.c.customer_id.in_(f.customer_ids),
    "booking_tables": lambda t, f: t.c.booking_id.in_(f.booking_ids),
    "holds": lambda t, f: t.c.booking_id.in_(f.booking_ids),
    "deposit_requests": lambda t, f: t.c.booking_id.in_(f.booking_ids),
    "payment_events": lambda t, f: t.c.request_id.in_(f.request_ids),
    "deposit_ledger": lambda t, f: t.c.booking_id.in_(f.booking_ids),
    "message_outbox": lambda t, f: or_(
        t.c.booking_id.in_(f.booking_ids), t.c.recipient.in_(f.addresses)
    ),
    "message_inbound": lambda t, f: or_(
        t.c.booking_id.in_(f.booking_ids), t.c.from_number.in_(f.phones)
    ),
    "message_suppressions": lambda t, f: t.c.recipient.in_(f.addresses),
    "conflicts": lambda t, f: or_(
        t.c.booking_id.in_(f.booking_ids), t.c.other_booking_id.in_(f.booking_ids)
    ),
    "refusals": _any(lambda t, f: t.c.entity_id.in_(f.ids), _named_in("args")),
    "audit_events": lambda t, f: t.c.entity_id.in_(f.ids),
}

_SETUP = "the venue's own set-up: no guest in it"
_STAFF = "the venue's staff and desks, and their sign-ins: no guest in them"
NOT_ABOUT_GUESTS: dict[str, str] = {
    "venues": _SETUP,
    "venue_versions": _SETUP,
    "areas": _SETUP,
    "tables": _SETUP,
    "combinations": _SETUP,
    "floor_plans": _SETUP,
    "deposit_policies": _SETUP,
    "staff": _STAFF,
    "devices": _STAFF,
    "tokens": _STAFF,
    "login_failures": _STAFF,
    "intent_outcomes": "each change's hash and outcome: the words are in the tables above",
    "stripe_customer_deletions": (
        "Stripe's ids of erased guests' saved-card customers, to delete there: no name, "
        "number or words"
    ),
    "payment_recoveries": "when Stripe was asked for the links a restore lost: no guest in it",
    "payment_watch": "how far Stripe's events were read: no guest in it",
    "found_moves": (
        "Stripe's id of a claim, refund or release a restore lost, with its booking's and "
        "request's ids and amount: no name, number or words (the request itself is on "
        "deposit_requests once taken back)"
    ),
    "found_checkouts": (
        "Stripe's id of a payment link a restore lost, with its booking's and request's ids: "
        "no name, number or words (the link itself is on deposit_requests once taken back)"
    ),
}

# The first of these a table has orders its rows: oldest first, as a guest would read.
_ORDER = ("created_at", "at", "start", "requested_at", "recorded_at", "received_at", "since")


def located(session: Session, venue_id: uuid.UUID, key: GuestKey) -> tuple[str, Found]:
    """The venue's name and the guests ``key`` finds there; NotFound if none."""
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise NotFound("There is no such venue on this server.")
    found = find_guests(session, venue_id, key)
    if not found.customer_ids:
        raise NotFound(f"No guest of {venue.name} has the {key}.")
    return venue.name, found


def find_guests(session: Session, venue_id: uuid.UUID, key: GuestKey) -> Found:
    """The venue's guests the key names, and the ids their rows hang from."""
    query = select(Customer.id, Customer.phone, Customer.email).where(Customer.venue_id == venue_id)
    if key.by is FoundBy.PHONE:
        query = query.where(Customer.phone == key.value)
    elif key.by is FoundBy.EMAIL:
        query = query.where(func.lower(Customer.email) == key.value.lower())
    else:
        query = query.join(Booking, Booking.customer_id == Customer.id).where(
            Booking.venue_id == venue_id, Booking.reference == key.value
        )
    return _found(session, venue_id, query)


def guests_by_id(session: Session, venue_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> Found:
    """The venue's guests with these ids (a desk's erasure names them so), and their rows'."""
    query = select(Customer.id, Customer.phone, Customer.email).where(
        Customer.venue_id == venue_id, Customer.id.in_(list(ids))
    )
    return _found(session, venue_id, query)


def _found(session: Session, venue_id: uuid.UUID, query: Any) -> Found:
    guests = session.execute(query.order_by(Customer.created_at)).all()
    customer_ids = tuple(g.id for g in guests)
    booking_ids = tuple(
        session.scalars(
            select(Booking.id).where(
                Booking.venue_id == venue_id, Booking.customer_id.in_(customer_ids)
            )
        )
    )
    request_ids = tuple(
        session.scalars(select(DepositRequest.id).where(DepositRequest.booking_id.in_(booking_ids)))
    )
    return Found(
        customer_ids=customer_ids,
        booking_ids=booking_ids,
        request_ids=request_ids,
        phones=_unique(g.phone for g in guests),
        emails=_unique(g.email for g in guests if g.email),
    )


def gather(session: Session, venue_id: uuid.UUID, found: Found) -> dict[str, list[dict[str, Any]]]:
    """Every row of every section that names the guests found, every column of each."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, where in SECTIONS.items():
        table = Base.metadata.tables[name]
        query = select(table).where(where(table, found))
        if "venue_id" in table.c:
            query = query.where(table.c.venue_id == venue_id)
        order = [table.c[c] for c in _ORDER if c in table.c][:1]
        rows = session.execute(query.order_by(*order, *table.primary_key.columns)).mappings()
        tables[name] = [plain_row(row) for row in rows]
    return tables


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
