"""Use cases that move a booking through its status machine, and the waitlist promotion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from app.domain.allocation import Seating, SeatingRequest, allocate, is_free
from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposits import format_pence
from app.domain.errors import DomainError
from app.domain.permissions import Action, Staff
from app.models.repositories import VenueBundle
from app.models.uow import Store, UnitOfWork
from app.services.common import (
    BookingResult,
    Clock,
    get_booking,
    get_customer,
    night_bookings,
    save_and_journal,
    seating_words,
)
from app.services.held import held_around, plan_without_held, refuse_if_held
from app.services.waitlist_offers import WaitlistOffers
from app.services.wire import placement_args
from app.sync.protocol import IntentName

S = BookingStatus
StatusChange = Callable[[UnitOfWork, VenueBundle, Booking, datetime], Booking]
SETTLED = frozenset({DepositState.NOT_REQUIRED, DepositState.PAID, DepositState.WAIVED})


class BookingLifecycle:
    def __init__(self, store: Store, clock: Clock, offers: WaitlistOffers | None = None) -> None:
        self.store = store
        self.clock = clock
        # Runs the waitlist's offers in the same unit of work as each status change.
        self.offers = offers

    def confirm(self, staff: Staff, booking_id: str) -> BookingResult:
        staff.require(Action.CONFIRM)

        def change(uow: UnitOfWork, bundle: VenueBundle, b: Booking, now: datetime) -> Booking:
            if b.deposit_state not in SETTLED:
                raise DomainError(
                    f"Booking {b.reference} cannot be confirmed until its "
                    f"{format_pence(b.deposit_pence)} deposit is paid or a manager waives it."
                )
            return b.moved_to(S.CONFIRMED, now)

        return self._run(staff, booking_id, change, "Confirmed")

    def seat(
        self, staff: Staff, booking_id: str, table_ids: tuple[str, ...] | None = None
    ) -> BookingResult:
        """Seat a confirmed party, optionally at other tables than booked."""
        staff.require(Action.SEAT)

        def change(uow: UnitOfWork, bundle: VenueBundle, b: Booking, now: datetime) -> Booking:
            seated = b.moved_to(S.SEATED, now)
            if table_ids and tuple(table_ids) != b.table_ids:
                seating = _checked_seating(uow, bundle, b, table_ids, now)
                seated = replace(seated, table_ids=seating.table_ids, combined=seating.combined)
            return seated

        return self._run(staff, booking_id, change, "Seated", tables=table_ids is not None)

    def complete(self, staff: Staff, booking_id: str) -> BookingResult:
        """The party has left; an early finish frees the table for the rest of the night."""
        staff.require(Action.COMPLETE)

        def change(uow: UnitOfWork, bundle: VenueBundle, b: Booking, now: datetime) -> Booking:
            done = b.moved_to(S.COMPLETED, now)
            if b.start < now < b.end:
                minutes = max(15, int((now - b.start).total_seconds() // 60))
                done = replace(done, duration_minutes=minutes)
            return done

        return self._run(staff, booking_id, change, "Completed")

    def no_show(self, staff: Staff, booking_id: str) -> BookingResult:
        staff.require(Action.NO_SHOW)
        return self._run(
            staff, booking_id, lambda uow, bundle, b, now: b.moved_to(S.NO_SHOW, now), "No-show"
        )

    def cancel(self, staff: Staff, booking_id: str, reason: str = "") -> BookingResult:
        staff.require(Action.CANCEL)
        return self._run(
            staff,
            booking_id,
            lambda uow, bundle, b, now: b.moved_to(S.CANCELLED, now),
            "Cancelled",
            intent=IntentName.CANCEL,
            reason=reason,
        )

    def promote(
        self,
        staff: Staff,
        booking_id: str,
        table_ids: tuple[str, ...] | None = None,
        start: datetime | None = None,
    ) -> BookingResult:
        """Take a party off the waitlist onto the given tables or the best free ones.

        ``start`` moves the party's time too (a waitlist offer for a table that
        frees later than the guest first asked for).
        """
        staff.require(Action.PROMOTE)

        def change(uow: UnitOfWork, bundle: VenueBundle, b: Booking, now: datetime) -> Booking:
            if b.status is not S.WAITLISTED:
                raise DomainError(f"Booking {b.reference} is not on the waitlist.")
            if start is not None and start != b.start:
                b = _retimed(uow, bundle, staff, b, start, now)
            if table_ids:
                seating = _checked_seating(uow, bundle, b, table_ids, now)
            else:
                customer = get_customer(uow, b.customer_id)
                request = SeatingRequest(
                    b.party_size, b.start, b.duration_minutes, vip=customer.vip, booking_id=b.id
                )
                held = held_around(uow, bundle, b.start, now)
                plan = plan_without_held(bundle.plan, held, request)
                found = allocate(plan, night_bookings(uow, bundle, b.start), request)
                if found is None:
                    raise DomainError(
                        f"No table is free for a party of {b.party_size} at "
                        f"{bundle.venue.show_time(b.start)} yet."
                    )
                seating = found
            target = S.PENDING if b.deposit_state not in SETTLED else S.CONFIRMED
            return replace(
                b.moved_to(target, now), table_ids=seating.table_ids, combined=seating.combined
            )

        return self._run(staff, booking_id, change, "Promoted", tables=True)

    def _run(
        self,
        staff: Staff,
        booking_id: str,
        change: object,
        verb: str,
        *,
        intent: IntentName = IntentName.SET_STATUS,
        tables: bool = False,
        reason: str = "",
    ) -> BookingResult:
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            before = get_booking(uow, booking_id)
            after = change(uow, bundle, before, now)
            after = replace(after, updated_at=now)
            if intent is IntentName.CANCEL:
                args: dict[str, object] = {"reason": reason}
            else:
                args = {"status": after.status.value}
                if tables:
                    args |= {"table_ids": list(after.table_ids), "combined": after.combined}
            save_and_journal(
                uow,
                bundle,
                staff,
                now,
                intent,
                before,
                after,
                args,
                previous={"status": before.status.value},
            )
            events = (
                self.offers.after_status_change(uow, bundle, before, after, now)
                if self.offers is not None
                else ()
            )
            customer = get_customer(uow, after.customer_id)
            uow.commit()
        news = self.offers.news(events) if self.offers is not None else ""
        where = (
            f" at {seating_words(bundle, after)}"
            if after.status in (S.SEATED, S.CONFIRMED, S.PENDING)
            else ""
        )
        message = f"{verb}: {customer.name}, party of {after.party_size}{where}."
        return BookingResult(after, customer, f"{message} {news}".strip())


def _retimed(
    uow: UnitOfWork, bundle: VenueBundle, staff: Staff, b: Booking, start: datetime, now: datetime
) -> Booking:
    """A waitlisted party's time moved (its own ``move_booking`` intent, still waitlisted)."""
    bundle.venue.check_open(start, b.duration_minutes)
    moved = replace(b, start=start, updated_at=now)
    save_and_journal(
        uow,
        bundle,
        staff,
        now,
        IntentName.MOVE_BOOKING,
        b,
        moved,
        placement_args(moved),
        previous=placement_args(b),
    )
    return moved


def _checked_seating(
    uow: UnitOfWork, bundle: VenueBundle, b: Booking, table_ids: tuple[str, ...], now: datetime
) -> Seating:
    combination = bundle.plan.check_seating(table_ids, b.party_size)
    request = SeatingRequest(b.party_size, b.start, b.duration_minutes, booking_id=b.id)
    if not is_free(bundle.plan, night_bookings(uow, bundle, b.start), table_ids, request):
        raise DomainError(
            f"Table {bundle.plan.numbers(table_ids)} is taken at "
            f"{bundle.venue.show_time(b.start)}–{bundle.venue.show_time(b.end)}."
        )
    refuse_if_held(bundle, held_around(uow, bundle, b.start, now), tuple(table_ids), request)
    return Seating(tuple(table_ids), combination)
