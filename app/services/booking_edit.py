"""Use cases that change where, when or what a booking is, without moving its status."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.domain.allocation import SeatingRequest, is_free
from app.domain.booking import ACTIVE, FINISHED, Booking, check_duration
from app.domain.errors import DomainError, InvalidInput
from app.domain.permissions import Action, Staff
from app.models.uow import Reader, Store
from app.services.common import (
    BookingResult,
    Clock,
    get_booking,
    get_customer,
    night_bookings,
    save_and_journal,
    seating_words,
)
from app.services.held import held_around, refuse_if_held
from app.services.wire import placement_args
from app.sync.protocol import IntentName


class BookingEdits:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def move(
        self,
        staff: Staff,
        booking_id: str,
        table_ids: tuple[str, ...],
        start: datetime | None = None,
        duration_minutes: int | None = None,
    ) -> BookingResult:
        """Put a booking on other tables and/or at another time, if they are free then."""
        staff.require(Action.MOVE)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            before = _unfinished(uow, booking_id, "it cannot be moved")
            new_start = start or before.start
            minutes = duration_minutes or before.duration_minutes
            check_duration(minutes)
            if new_start != before.start or minutes != before.duration_minutes:
                bundle.venue.check_open(new_start, minutes)
            combination = bundle.plan.check_seating(table_ids, before.party_size)
            request = SeatingRequest(before.party_size, new_start, minutes, booking_id=before.id)
            if not is_free(bundle.plan, night_bookings(uow, bundle, new_start), table_ids, request):
                raise DomainError(
                    f"Table {bundle.plan.numbers(table_ids)} is taken at "
                    f"{bundle.venue.show_time(new_start)}."
                )
            held = held_around(uow, bundle, new_start, now)
            refuse_if_held(bundle, held, tuple(table_ids), request)
            after = replace(
                before,
                table_ids=tuple(table_ids),
                combined=combination is not None,
                start=new_start,
                duration_minutes=minutes,
                updated_at=now,
            )
            save_and_journal(
                uow,
                bundle,
                staff,
                now,
                IntentName.MOVE_BOOKING,
                before,
                after,
                placement_args(after),
                previous=placement_args(before),
            )
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        return BookingResult(
            after,
            customer,
            f"Moved {customer.name} to "
            f"{seating_words(bundle, after)} at "
            f"{bundle.venue.show_time(after.start)}.",
        )

    def edit_details(
        self,
        staff: Staff,
        booking_id: str,
        *,
        party_size: int | None = None,
        special_requests: str | None = None,
        occasion: str | None = None,
        notes: str | None = None,
    ) -> BookingResult:
        staff.require(Action.EDIT_DETAILS)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            before = _unfinished(uow, booking_id, "its details can no longer change")
            changes: dict[str, object] = {}
            if party_size is not None and party_size != before.party_size:
                largest = bundle.plan.largest_party()
                if not 1 <= party_size <= largest:
                    raise InvalidInput(
                        "party_size", f"A party must be 1–{largest} guests, not {party_size}."
                    )
                if before.status in ACTIVE and before.table_ids:
                    bundle.plan.check_seating(before.table_ids, party_size)
                changes["party_size"] = party_size
            for name, value in (
                ("special_requests", special_requests),
                ("occasion", occasion),
                ("notes", notes),
            ):
                if value is not None and value.strip() != getattr(before, name):
                    changes[name] = value.strip()
            if not changes:
                raise InvalidInput("details", "Nothing was changed.")
            after = replace(before, updated_at=now, **changes)  # type: ignore[arg-type]
            save_and_journal(
                uow,
                bundle,
                staff,
                now,
                IntentName.EDIT_DETAILS,
                before,
                after,
                changes,
                previous={k: getattr(before, k) for k in changes},
            )
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        return BookingResult(
            after, customer, f"Updated {customer.name}'s booking {after.reference}."
        )


def _unfinished(reader: Reader, booking_id: str, refusal: str) -> Booking:
    """The booking, unless it is completed, cancelled or a no-show."""
    booking = get_booking(reader, booking_id)
    if booking.status in FINISHED:
        raise DomainError(f"Booking {booking.reference} is {booking.status.value}; {refusal}.")
    return booking
