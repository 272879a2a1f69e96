"""Use cases that change where, when or what a booking is, without moving its status."""

from __future__ import annotations

from datetime import datetime

from app.domain.allocation import SeatingRequest, is_free
from app.domain.booking import Booking
from app.domain.errors import InvalidInput
from app.domain.limits import check_booking_text, check_duration, check_party_size
from app.domain.packages import as_kept
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.domain.text import tidy
from app.models.uow import Reader, Store
from app.protocol import EditDetailsArgs, IntentName, MoveBookingArgs
from app.services.common import (
    BookingResult,
    Clock,
    booking_after,
    get_booking,
    get_customer,
    night_bookings,
    save_and_journal,
    seating_words,
    wire,
)
from app.services.held import held_around, refuse_if_held
from app.services.seating import taken


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
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            before = get_booking(uow, booking_id)
            minutes = duration_minutes or before.duration_minutes
            check_duration(minutes)
            if start is not None and start != before.start:
                rules.venue.check_bookable_when(start, now)
            args = wire(
                MoveBookingArgs,
                table_ids=list(table_ids),
                start=start or before.start,
                duration_minutes=minutes,
            )
            after = booking_after(uow, rules, staff, now, before, args)
            if after.holds_tables:
                refuse_if_taken(uow, rules, after, now)
            save_and_journal(uow, rules, staff, now, IntentName.MOVE_BOOKING, before, after, args)
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        return BookingResult(
            after,
            customer,
            f"Moved {customer.name} to {seating_words(rules, after)} at "
            f"{rules.venue.show_time(after.start)}.",
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
        package_id: str | None = None,
    ) -> BookingResult:
        """Change what is given (None: as it is); ``package_id`` "" takes the package off."""
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            before = get_booking(uow, booking_id)
            changes: dict[str, object] = {}
            if party_size is not None and party_size != before.party_size:
                check_party_size(party_size, rules.plan.largest_party())
                changes["party_size"] = party_size
            for name, value in (
                ("special_requests", special_requests),
                ("occasion", occasion),
                ("notes", notes),
            ):
                if value is None:
                    continue
                value = tidy(value, multiline=name == "notes")
                if value != getattr(before, name):
                    changes[name] = value
            if package_id is not None and as_kept(package_id) != before.package_id:
                changes["package_id"] = package_id
            check_booking_text(
                str(changes.get("occasion", "")),
                str(changes.get("special_requests", "")),
                str(changes.get("notes", "")),
            )
            if not changes:
                raise InvalidInput("details", "Nothing was changed.")
            args = wire(EditDetailsArgs, **changes)
            after = booking_after(uow, rules, staff, now, before, args)
            save_and_journal(uow, rules, staff, now, IntentName.EDIT_DETAILS, before, after, args)
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        return BookingResult(
            after,
            customer,
            f"Updated {customer.name}'s booking {format_reference(after.reference)}.",
        )


def refuse_if_taken(reader: Reader, rules: VenueRules, after: Booking, now: datetime) -> None:
    """What only a desk checks before it saves: its tables are free then as far as this
    desk knows, and nobody holds them (a waitlist offer, another desk's form)."""
    request = SeatingRequest(
        after.party_size, after.start, after.duration_minutes, booking_id=after.id
    )
    nearby = night_bookings(reader, rules, after.start)
    if not is_free(rules.plan, nearby, after.table_ids, request):
        raise taken(reader, rules, nearby, after.table_ids, request)
    refuse_if_held(rules, held_around(reader, rules, after.start, now), after.table_ids, request)
