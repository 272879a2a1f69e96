"""The manager's re-arrangement of a night: a plan shown first, then applied in one go.

Applying writes one ``rearrange`` intent for every table change (the server
applies it in one transaction) and one ``set_status`` intent per waitlisted
party taken onto a table, all in one local unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain import kernel
from app.domain.allocation import Engine, SlotClock, is_free, tables_phrase
from app.domain.allocation.reoptimise import NightPlan, Promotion, reoptimise
from app.domain.allocation.simple import SeatingRequest
from app.domain.booking import BookingStatus
from app.domain.errors import DomainError
from app.domain.permissions import Action, Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.uow import Reader, Store, UnitOfWork
from app.protocol import IntentName, SetStatusArgs
from app.services.common import Clock, booking_after, get_booking, save_and_journal
from app.services.seating import apply_moves, move_sentences, vip_lookup


@dataclass(frozen=True, slots=True)
class PlannedNight:
    day: date
    plan: NightPlan
    # What staff read before applying: one line per move and per promotion.
    lines: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.plan.moves or self.plan.promotions)


class NightPlanning:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def propose(self, staff: Staff, day: date) -> PlannedNight:
        """Seat every booking and as many waitlisted parties as possible, fewest moves."""
        staff.require(Action.REOPTIMISE)
        with self.store.read() as reader:
            rules = reader.venue.get()
            plan = _plan(reader, rules, day)
            lines = move_sentences(reader, rules, plan.moves)
            names = reader.customers.many(
                [get_booking(reader, p.booking_id).customer_id for p in plan.promotions]
            )
            for promotion in plan.promotions:
                booking = get_booking(reader, promotion.booking_id)
                lines.append(
                    f"Seat {names[booking.customer_id].name} (party of {booking.party_size}) "
                    f"from the waitlist at {tables_phrase(rules.plan, promotion.table_ids)}"
                )
        return PlannedNight(day, plan, tuple(lines))

    def apply(self, staff: Staff, planned: PlannedNight) -> int:
        """Apply a proposed plan; refuse it whole if the night changed since."""
        staff.require(Action.REOPTIMISE)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            if planned.plan.moves:
                apply_moves(uow, rules, staff, now, planned.plan.moves)
            for promotion in planned.plan.promotions:
                _promote(uow, rules, staff, promotion, now)
            uow.commit()
        return len(planned.plan.moves) + len(planned.plan.promotions)


def _plan(reader: Reader, rules: VenueRules, day: date) -> NightPlan:
    bookings = reader.bookings.on_day(day)
    waitlisted = [b for b in bookings if b.status is BookingStatus.WAITLISTED]
    engine = Engine(
        rules.plan,
        SlotClock.for_night(rules.venue, day),
        [b for b in bookings if b.holds_tables],
        vip_lookup(reader, bookings),
    )
    return reoptimise(engine, waitlisted)


def _promote(
    uow: UnitOfWork, rules: VenueRules, staff: Staff, promotion: Promotion, now: datetime
) -> None:
    before = get_booking(uow, promotion.booking_id)
    if before.status is not BookingStatus.WAITLISTED:
        raise DomainError(
            f"Booking {format_reference(before.reference)} left the waitlist while the plan was "
            "made; nothing was changed. Plan again."
        )
    request = SeatingRequest(
        before.party_size, before.start, before.duration_minutes, booking_id=before.id
    )
    day = rules.venue.service_day(before.start)
    if not is_free(rules.plan, uow.bookings.on_day(day), promotion.table_ids, request):
        raise DomainError(
            "The night changed while the plan was made; nothing was changed. Plan again."
        )
    args = SetStatusArgs(status=kernel.bookable_status(before), table_ids=list(promotion.table_ids))
    after = booking_after(uow, rules, staff, now, before, args)
    save_and_journal(uow, rules, staff, now, IntentName.SET_STATUS, before, after, args)
