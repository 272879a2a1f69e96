"""Between ORM rows and domain dataclasses; nothing above app/models sees a row."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.domain.booking import Booking, BookingStatus, DepositState, Source
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


def booking(row: BookingRow) -> Booking:
    return Booking(
        id=row.id,
        venue_id=row.venue_id,
        reference=row.reference,
        customer_id=row.customer_id,
        party_size=row.party_size,
        start=row.start,
        duration_minutes=row.duration_minutes,
        status=BookingStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        table_ids=tuple(t.table_id for t in row.tables),
        combined=row.combined,
        special_requests=row.special_requests,
        occasion=row.occasion,
        notes=row.notes,
        priority_score=row.priority_score,
        deposit_state=DepositState(row.deposit_state),
        deposit_pence=row.deposit_pence,
        source=Source(row.source),
        version=row.version,
        waitlisted_at=row.waitlisted_at,
    )


def fill_booking(row: BookingRow, b: Booking, service_day: date) -> None:
    row.id = b.id
    row.venue_id = b.venue_id
    row.reference = b.reference
    row.customer_id = b.customer_id
    row.party_size = b.party_size
    row.start = b.start
    row.duration_minutes = b.duration_minutes
    row.service_day = service_day
    row.status = b.status.value
    row.combined = b.combined
    row.special_requests = b.special_requests
    row.occasion = b.occasion
    row.notes = b.notes
    row.priority_score = b.priority_score
    row.deposit_state = b.deposit_state.value
    row.deposit_pence = b.deposit_pence
    row.source = b.source.value
    row.created_at = b.created_at
    row.updated_at = b.updated_at
    row.version = b.version
    row.waitlisted_at = b.waitlisted_at
    if [t.table_id for t in row.tables] != list(b.table_ids):
        row.tables = [
            BookingTableRow(table_id=tid, position=i) for i, tid in enumerate(b.table_ids)
        ]


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
        marketing_consent=row.marketing_consent,
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
    row.marketing_consent = c.marketing_consent


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


# A table's own columns, as the desk and the sync mirror both copy them.
TABLE_FIELDS = (
    "number",
    "name",
    "area_id",
    "min_covers",
    "max_covers",
    "shape",
    "x",
    "y",
    "width",
    "height",
    "rotation",
    "booth",
    "vip",
    "active",
    "min_spend_pence",
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


def table_dict(t: Table) -> dict[str, Any]:
    return {
        "id": t.id,
        "number": t.number,
        "name": t.name,
        "area_id": t.area_id,
        "min_covers": t.min_covers,
        "max_covers": t.max_covers,
        "shape": t.shape.value,
        "x": t.x,
        "y": t.y,
        "width": t.width,
        "height": t.height,
        "rotation": t.rotation,
        "booth": t.booth,
        "vip": t.vip,
        "active": t.active,
    }
