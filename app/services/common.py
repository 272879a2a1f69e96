"""Plumbing every use case shares: the clock port, results, and journaling a booking change.

A use case that changes a booking builds its intent's arguments, takes the
booking that intent leaves from ``app.protocol.meaning`` (the same answer the
overlay and the server give), makes the checks only a desk can make (the
tables free as far as it knows, nothing held), then stores the row with its
audit event and the intent in one unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError

from app.domain.booking import Booking, booking_snapshot
from app.domain.customer import Customer
from app.domain.deposit_actions import refundable_pence
from app.domain.deposit_ledger import held_pence
from app.domain.erasure import erased_words
from app.domain.errors import DomainError, InvalidInput, NotFound
from app.domain.permissions import Staff
from app.domain.rules import VenueRules
from app.models.journal import Change
from app.models.uow import Reader, Store, UnitOfWork
from app.protocol import AnyMutation, IntentName, Strict, meaning
from app.protocol.meaning import BookingArgs, ConflictFacts, Judging

A = TypeVar("A", bound=Strict)

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class BookingResult:
    booking: Booking
    customer: Customer
    # What happened, in the words shown to staff: "Confirmed at table 7".
    message: str


def night_bookings(reader: Reader, bundle: VenueRules, start: datetime) -> list[Booking]:
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


def wire(model: type[A], **fields: Any) -> A:
    """An intent's arguments; a value the wire cannot carry is refused, naming the field."""
    try:
        return model(**fields)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "details"
        raise InvalidInput(field, f"{field.replace('_', ' ')}: {first['msg']}.") from None


def judging(
    reader: Reader,
    rules: VenueRules,
    staff: Staff,
    at: datetime,
    conflict_of: Callable[[str], ConflictFacts | None] | None = None,
    cancel_version_of: Callable[[str], int | None] | None = None,
) -> Judging:
    """What an intent's meaning needs, from this desk's copy of the venue."""

    def vip_of(customer_id: str) -> bool | None:
        customer = reader.customers.get(customer_id)
        return None if customer is None else customer.vip

    return Judging(
        rules=rules,
        at=at,
        vip_of=vip_of,
        conflict_of=conflict_of or (lambda _id: None),
        cancel_version_of=cancel_version_of or (lambda _id: None),
        signature=meaning.signature(rules.venue, staff.name, at),
        refundable_of=lambda booking_id: refundable_pence(reader.ledger.of_bookings([booking_id])),
        held_of=lambda booking_id: held_pence(reader.ledger.of_bookings([booking_id])),
        policies_of=reader.review.policies,
        link_of=lambda booking_id: reader.links.latest([booking_id]).get(booking_id),
    )


def booking_after(
    uow: Reader,
    rules: VenueRules,
    staff: Staff,
    at: datetime,
    before: Booking,
    args: BookingArgs,
    conflict_of: Callable[[str], ConflictFacts | None] | None = None,
    cancel_version_of: Callable[[str], int | None] | None = None,
) -> Booking:
    """The booking as the intent leaves it, if this staff member may make the intent."""
    for action in meaning.required_actions(args, before):
        staff.require(action)
    if meaning.writes_words(args):
        # As the server will (server/sync/forgotten.py): no words on a forgotten guest.
        erased = uow.customers.erased_at(before.customer_id)
        if erased is not None:
            raise DomainError(erased_words(erased, rules.venue.tz))
    j = judging(uow, rules, staff, at, conflict_of, cancel_version_of)
    return meaning.booking_after(j, before, args)


def save_and_journal(
    uow: UnitOfWork,
    rules: VenueRules,
    staff: Staff,
    at: datetime,
    intent: IntentName,
    before: Booking | None,
    after: Booking,
    args: Strict,
) -> AnyMutation:
    """Store the booking, its audit event and its intent in the open unit of work."""
    uow.bookings.save(after, rules.venue.service_day(after.start))
    return uow.journal.record(
        staff=staff,
        at=at,
        intent=intent,
        entity_id=after.id,
        base_version=before.version if before else 0,
        args=args,
        previous=meaning.previous_of(before, args) if before else {},
        changes=[
            Change(
                "booking",
                after.id,
                booking_snapshot(before) if before else None,
                booking_snapshot(after),
            )
        ],
    )


def journal_one(
    store: Store,
    now: datetime,
    staff: Staff,
    booking_id: str,
    intent: IntentName,
    args: BookingArgs,
) -> tuple[Booking, Customer, VenueRules]:
    """One booking intent with no effect of its own beyond its meaning: judged as the
    server will judge it, saved and journalled in one unit of work (nothing on a refusal).
    Returns the booking it left, its guest, and the venue's rules it was judged by."""
    with store.unit_of_work() as uow:
        rules = uow.venue.get()
        before = get_booking(uow, booking_id)
        after = booking_after(uow, rules, staff, now, before, args)
        save_and_journal(uow, rules, staff, now, intent, before, after, args)
        customer = get_customer(uow, after.customer_id)
        uow.commit()
    return after, customer, rules


def seating_words(bundle: VenueRules, booking: Booking) -> str:
    if not booking.table_ids:
        return "no table"
    label = "tables" if len(booking.table_ids) > 1 else "table"
    return f"{label} {bundle.plan.numbers(booking.table_ids)}"


def minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)
