"""Use cases that move a booking through its status machine, and the waitlist promotion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain import kernel
from app.domain.allocation import SeatingRequest, allocate
from app.domain.booking import Booking, BookingStatus
from app.domain.errors import DomainError
from app.domain.limits import check_duration
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.uow import Store, UnitOfWork
from app.protocol import CancelArgs, IntentName, MoveBookingArgs, SetStatusArgs
from app.protocol.meaning import BookingArgs
from app.services.booking_edit import refuse_if_taken
from app.services.booking_undo import undo_cancel
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
from app.services.held import held_around, plan_without_held
from app.services.waitlist_offers import WaitlistOffers

S = BookingStatus


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The intent a status use case makes, and whether the desk checks its tables."""

    intent: IntentName
    args: BookingArgs
    check_tables: bool = False


# Works out the change from the booking as it is, inside the unit of work.
Plan = Callable[[UnitOfWork, VenueRules, Booking, datetime], StatusChange]


def _to(status: BookingStatus) -> Plan:
    return lambda _uow, _rules, _b, _now: StatusChange(
        IntentName.SET_STATUS, SetStatusArgs(status=status)
    )


class BookingLifecycle:
    def __init__(self, store: Store, clock: Clock, offers: WaitlistOffers | None = None) -> None:
        self.store = store
        self.clock = clock
        # Runs the waitlist's offers in the same unit of work as each status change.
        self.offers = offers

    def confirm(self, staff: Staff, booking_id: str) -> BookingResult:
        return self._run(staff, booking_id, _to(S.CONFIRMED), "Confirmed")

    def seat(
        self, staff: Staff, booking_id: str, table_ids: tuple[str, ...] | None = None
    ) -> BookingResult:
        """Seat a confirmed party, optionally at other tables than booked."""

        def plan(_uow: UnitOfWork, _rules: VenueRules, b: Booking, _now: datetime) -> StatusChange:
            elsewhere = bool(table_ids) and tuple(table_ids or ()) != b.table_ids
            tables = list(table_ids) if elsewhere and table_ids else None
            args = wire(SetStatusArgs, status=S.SEATED, table_ids=tables)
            return StatusChange(IntentName.SET_STATUS, args, check_tables=elsewhere)

        return self._run(staff, booking_id, plan, "Seated")

    def complete(self, staff: Staff, booking_id: str) -> BookingResult:
        """The party has left; an early finish frees the table for the rest of the night."""

        def plan(_uow: UnitOfWork, _rules: VenueRules, _b: Booking, now: datetime) -> StatusChange:
            args = SetStatusArgs(status=S.COMPLETED, left_at=now)
            return StatusChange(IntentName.SET_STATUS, args)

        return self._run(staff, booking_id, plan, "Completed")

    def no_show(self, staff: Staff, booking_id: str) -> BookingResult:
        return self._run(staff, booking_id, _to(S.NO_SHOW), "No-show")

    def cancel(self, staff: Staff, booking_id: str, reason: str = "") -> BookingResult:
        def plan(_uow: UnitOfWork, _rules: VenueRules, _b: Booking, _now: datetime) -> StatusChange:
            return StatusChange(IntentName.CANCEL, wire(CancelArgs, reason=reason))

        why = f" ({reason})" if reason else ""
        return self._run(
            staff,
            booking_id,
            plan,
            "Cancelled",
            said=lambda name: f"Cancelled {name}'s booking{why}.",
        )

    def undo_cancel(self, staff: Staff, booking_id: str) -> BookingResult:
        """Put back a booking this desk cancelled minutes ago (app/services/booking_undo.py)."""
        return undo_cancel(self.store, self.clock, self.offers, staff, booking_id)

    def promote(
        self,
        staff: Staff,
        booking_id: str,
        table_ids: tuple[str, ...] | None = None,
        start: datetime | None = None,
    ) -> BookingResult:
        """Take a party off the waitlist onto the given tables or the best free ones.

        ``start`` moves the party's time too (a waitlist offer for a table that
        frees later than the guest first asked for), as its own intent first.
        """

        def plan(uow: UnitOfWork, rules: VenueRules, b: Booking, now: datetime) -> StatusChange:
            if b.status is not S.WAITLISTED:
                raise DomainError(
                    f"Booking {format_reference(b.reference)} is not on the waitlist."
                )
            tables = tuple(table_ids) if table_ids else _best_free(uow, rules, b, now)
            args = wire(SetStatusArgs, status=kernel.bookable_status(b), table_ids=list(tables))
            return StatusChange(IntentName.SET_STATUS, args, check_tables=True)

        return self._run(staff, booking_id, plan, "Promoted", start=start)

    def _run(
        self,
        staff: Staff,
        booking_id: str,
        plan: Plan,
        verb: str,
        *,
        start: datetime | None = None,
        said: Callable[[str], str] | None = None,
    ) -> BookingResult:
        """``said``: the result's first sentence, given the guest's name, if not the usual."""
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            before = get_booking(uow, booking_id)
            if start is not None and start != before.start:
                before = _retimed(uow, rules, staff, before, start, now)
            change = plan(uow, rules, before, now)
            after = booking_after(uow, rules, staff, now, before, change.args)
            if change.check_tables and after.holds_tables:
                refuse_if_taken(uow, rules, after, now)
            save_and_journal(uow, rules, staff, now, change.intent, before, after, change.args)
            events = (
                self.offers.after_status_change(uow, rules, before, after, now)
                if self.offers is not None
                else ()
            )
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        news = self.offers.news(events) if self.offers is not None else ""
        where = (
            f" at {seating_words(rules, after)}"
            if after.status in (S.SEATED, S.CONFIRMED, S.PENDING)
            else ""
        )
        message = (
            said(customer.name)
            if said is not None
            else f"{verb}: {customer.name}, party of {after.party_size}{where}."
        )
        return BookingResult(after, customer, f"{message} {news}".strip())


def _best_free(uow: UnitOfWork, rules: VenueRules, b: Booking, now: datetime) -> tuple[str, ...]:
    """The tables locked best fit gives a waitlisted party at its time, or a refusal."""
    customer = get_customer(uow, b.customer_id)
    request = SeatingRequest(
        b.party_size, b.start, b.duration_minutes, vip=customer.vip, booking_id=b.id
    )
    held = held_around(uow, rules, b.start, now)
    plan = plan_without_held(rules.plan, held, request)
    found = allocate(plan, night_bookings(uow, rules, b.start), request)
    if found is None:
        raise DomainError(
            f"No table is free for a party of {b.party_size} at "
            f"{rules.venue.show_time(b.start)} yet."
        )
    return found.table_ids


def _retimed(
    uow: UnitOfWork, rules: VenueRules, staff: Staff, b: Booking, start: datetime, now: datetime
) -> Booking:
    """A waitlisted party's time moved (its own ``move_booking`` intent, still waitlisted)."""
    check_duration(b.duration_minutes)
    args = wire(MoveBookingArgs, table_ids=[], start=start, duration_minutes=b.duration_minutes)
    moved = booking_after(uow, rules, staff, now, b, args)
    save_and_journal(uow, rules, staff, now, IntentName.MOVE_BOOKING, b, moved, args)
    return moved
