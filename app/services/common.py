"""Plumbing every use case shares: the clock port, results, and journaling a booking change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain.booking import Booking, booking_snapshot
from app.domain.customer import Customer
from app.domain.errors import NotFound
from app.domain.permissions import Staff
from app.models.journal import Change
from app.models.repositories import VenueBundle
from app.models.uow import Reader, UnitOfWork
from app.sync.protocol import IntentName

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class BookingResult:
    booking: Booking
    customer: Customer
    # What happened, in the words shown to staff: "Confirmed at table 7".
    message: str


def night_bookings(reader: Reader, bundle: VenueBundle, start: datetime) -> list[Booking]:
    """Bookings that could overlap ``start``: its service day and the neighbours."""
    day = bundle.venue.service_day(start)
    return reader.bookings.around([day - timedelta(days=1), day, day + timedelta(days=1)])


def get_booking(reader: Reader, booking_id: str) -> Booking:
    booking = reader.bookings.get(booking_id)
    if booking is None:
        raise NotFound("That booking no longer exists on this desk.")
    return booking


def get_customer(reader: Reader, customer_id: str) -> Customer:
    customer = reader.customers.get(customer_id)
    if customer is None:
        raise NotFound("That guest no longer exists on this desk.")
    return customer


def save_and_journal(
    uow: UnitOfWork,
    bundle: VenueBundle,
    staff: Staff,
    at: datetime,
    intent: IntentName,
    before: Booking | None,
    after: Booking,
    args: dict[str, Any],
    previous: dict[str, Any] | None = None,
) -> None:
    """Store the booking, its audit event and its intent in the open unit of work."""
    uow.bookings.save(after, bundle.venue.service_day(after.start))
    uow.journal.record(
        staff=staff,
        at=at,
        intent=intent,
        entity_id=after.id,
        base_version=before.version if before else 0,
        args=args,
        previous=previous or {},
        changes=[
            Change(
                "booking",
                after.id,
                booking_snapshot(before) if before else None,
                booking_snapshot(after),
            )
        ],
    )


def seating_words(bundle: VenueBundle, booking: Booking) -> str:
    if not booking.table_ids:
        return "no table"
    label = "tables" if len(booking.table_ids) > 1 else "table"
    return f"{label} {bundle.plan.numbers(booking.table_ids)}"


def minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)
