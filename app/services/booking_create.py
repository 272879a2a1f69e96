"""Use cases that create a booking: by phone, as a walk-in, or straight onto the waitlist."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from app.domain.allocation import Decision, DecisionKind, Seating, SeatingRequest, is_free
from app.domain.booking import Booking, BookingStatus, Source
from app.domain.consent import Channel
from app.domain.customer import (
    Customer,
    display_phone,
    normalise_email,
    normalise_name,
    normalise_phone,
)
from app.domain.deposits import format_pence
from app.domain.errors import InvalidFields, InvalidInput
from app.domain.kernel.customers import answered, booked_customer
from app.domain.limits import check_booking_text, check_duration, check_party_size
from app.domain.packages import package_price, package_words
from app.domain.permissions import Action, Staff
from app.domain.priority import priority
from app.domain.references import new_reference
from app.domain.rules import VenueRules
from app.domain.text import shown, tidy
from app.domain.waitlist import EventKind
from app.models.uow import Store, UnitOfWork
from app.protocol import CreateBookingArgs, IntentName, meaning
from app.protocol.codec import customer_data
from app.services.common import (
    BookingResult,
    Clock,
    get_customer,
    judging,
    minute,
    night_bookings,
    save_and_journal,
    seating_words,
    wire,
)
from app.services.held import held_around, refuse_if_held
from app.services.seating import apply_moves, decision_for, move_sentences, taken
from app.services.waitlist_offers import WaitlistOffers


class GuestChoice(StrEnum):
    """What staff chose when the phone given is a known guest's under another name."""

    # The guest the number belongs to; their stored name is kept.
    KNOWN = "known"
    # Someone else who gives the same number (a partner, an office line): a new guest.
    NEW = "new"


class SamePhoneOtherName(InvalidInput):
    """The phone is a known guest's and the name typed is not theirs: staff must choose."""

    def __init__(self, phone: str, typed: str, guests: list[Customer]) -> None:
        names = " or ".join(shown(g.name) for g in guests)
        super().__init__(
            "name",
            f"{display_phone(phone)} is the number of {names}, not of {shown(typed)}. "
            f"Book for {names}, or add {shown(typed)} as a new guest with the same number.",
        )
        self.typed = typed
        self.guests = guests


@dataclass(frozen=True, slots=True)
class NewBooking:
    name: str
    phone: str
    party_size: int
    start: datetime
    duration_minutes: int | None = None
    email: str | None = None
    occasion: str = ""
    special_requests: str = ""
    notes: str = ""
    # Chosen by staff (a drag onto a table); empty means "let the allocator choose".
    table_ids: tuple[str, ...] = ()
    source: Source = Source.PHONE
    # A returning guest picked from the search; their stored details are used.
    customer_id: str | None = None
    # Staff accepted the engine's proposal to move unseated bookings to fit this party.
    allow_moves: bool = False
    tags: tuple[str, ...] = field(default=())
    # The server hold the form kept on these tables; its token goes with the booking
    # only if the booking lands on exactly these tables.
    held_table_ids: tuple[str, ...] = ()
    fencing_token: int | None = None
    # Set once staff have answered a SamePhoneOtherName; None asks when it matters.
    guest: GuestChoice | None = None
    # A manager writing up a booking whose time has passed (after an outage, from paper).
    record_past: bool = False
    # The marketing boxes as staff left them (None: not asked); app.domain.consent.
    marketing: Mapping[Channel, bool] | None = None
    # The package the party pre-orders, by its id in the venue's list (app.domain.packages).
    package_id: str | None = None


class BookingCreation:
    def __init__(self, store: Store, clock: Clock, offers: WaitlistOffers | None = None) -> None:
        self.store = store
        self.clock = clock
        # A guest joining the waitlist may be offered a table that freed earlier at once.
        self.offers = offers

    def create_booking(self, staff: Staff, cmd: NewBooking) -> BookingResult:
        """Book a party: seat it where it fits, else put it on the waitlist automatically."""
        staff.require(Action.CREATE_BOOKING)
        return self._create(staff, cmd, waitlist=False)

    def add_to_waitlist(self, staff: Staff, cmd: NewBooking) -> BookingResult:
        staff.require(Action.ADD_TO_WAITLIST)
        return self._create(staff, cmd, waitlist=True)

    def walk_in(
        self,
        staff: Staff,
        party_size: int,
        table_ids: tuple[str, ...] = (),
        name: str = "",
        phone: str = "",
    ) -> BookingResult:
        """Seat a party standing at the desk now, on the given tables or the best free ones."""
        staff.require(Action.WALK_IN)
        now = minute(self.clock())
        with self.store.read() as reader:
            bundle = reader.venue.get()
        window = bundle.venue.opening_window(bundle.venue.service_day(now))
        if window is None or not window[0] <= now < window[1]:
            raise InvalidInput("start", f"{bundle.venue.name} is not open now.")
        closes = window[1]
        default = bundle.venue.default_duration(party_size)
        duration = max(15, min(default, int((closes - now).total_seconds() // 60)))
        cmd = NewBooking(
            name=name or "Walk-in",
            phone=phone,
            party_size=party_size,
            start=now,
            duration_minutes=duration,
            table_ids=table_ids,
            source=Source.WALK_IN,
            # A walk-in who gave a number but no name is that number's guest.
            guest=None if name else GuestChoice.KNOWN,
        )
        return self._create(staff, replace(cmd, allow_moves=True), waitlist=False)

    def _create(self, staff: Staff, cmd: NewBooking, *, waitlist: bool) -> BookingResult:
        now = self.clock()
        cmd = replace(
            cmd,
            occasion=tidy(cmd.occasion),
            special_requests=tidy(cmd.special_requests),
            notes=tidy(cmd.notes, multiline=True),
        )
        with self.store.unit_of_work() as uow:
            rules = uow.venue.get()
            customer, duration = self._checked(uow, rules, cmd, now)
            customer = answered(customer, cmd.marketing, now, staff.name)
            seating, decision = (
                (None, None)
                if waitlist
                else self._seating(uow, rules, cmd, customer, duration, now)
            )
            notes: list[str] = []
            if seating is not None and decision is not None and decision.moves:
                done = "; ".join(move_sentences(uow, rules, decision.moves))
                notes = [f"To make room: {done[0].lower()}{done[1:]}."]
                apply_moves(uow, rules, staff, now, decision.moves)
            elif seating is None and decision is not None:
                notes = self._why_not(uow, rules, decision)
            args = self._args(rules, cmd, customer, duration, seating, now)
            for action in meaning.required_actions(args, None):
                staff.require(action)
            booking = meaning.created(
                judging(uow, rules, staff, now), args, str(uuid.uuid4()), rules.venue.id
            )
            uow.customers.save(customer, rules.venue.id, now)
            save_and_journal(uow, rules, staff, now, IntentName.CREATE_BOOKING, None, booking, args)
            if booking.status is BookingStatus.WAITLISTED and self.offers is not None:
                day = rules.venue.service_day(booking.start)
                offered = self.offers.settle_in(uow, rules, day, now)
                notes += [
                    f"Table {rules.plan.numbers(e.freed.table_ids)} came free: it is held for "
                    f"them until {rules.venue.show_time(e.offer.expires_at)}."
                    for e in offered
                    if e.kind is EventKind.OFFERED and e.booking_id == booking.id and e.offer
                ]
            uow.commit()
        message = self._message(rules, booking)
        if booking.package_id is not None:
            notes.insert(0, f"{package_words(rules.deposits, booking)}.")
        return BookingResult(booking, customer, " ".join([message, *notes]))

    @staticmethod
    def _token(cmd: NewBooking, table_ids: tuple[str, ...]) -> int | None:
        if cmd.fencing_token is None or not table_ids:
            return None
        return cmd.fencing_token if set(table_ids) == set(cmd.held_table_ids) else None

    def _checked(
        self, uow: UnitOfWork, bundle: VenueRules, cmd: NewBooking, now: datetime
    ) -> tuple[Customer, int]:
        """Every field's problem at once, so the form can mark them all."""
        errors: dict[str, str] = {}
        duration = cmd.duration_minutes or bundle.venue.default_duration(max(1, cmd.party_size))
        for check in (
            lambda: check_party_size(cmd.party_size, bundle.plan.largest_party()),
            lambda: check_duration(duration),
            lambda: bundle.venue.check_open(cmd.start, duration),
            lambda: bundle.venue.check_bookable_when(cmd.start, now, past_allowed=cmd.record_past),
            lambda: check_booking_text(cmd.occasion, cmd.special_requests, cmd.notes),
            lambda: (
                cmd.package_id and package_price(bundle.deposits, cmd.package_id, cmd.party_size)
            ),
        ):
            try:
                check()
            except InvalidInput as error:
                errors.setdefault(error.field, str(error))
        customer = None
        try:
            customer = self._customer(uow, cmd)
        except InvalidFields as error:
            errors.update(error.errors)
        except SamePhoneOtherName:
            # Whose booking it is is asked only once everything else is right.
            if not errors:
                raise
        if errors or customer is None:
            raise InvalidFields(errors)
        return customer, duration

    def _customer(self, uow: UnitOfWork, cmd: NewBooking) -> Customer:
        if cmd.customer_id:
            return get_customer(uow, cmd.customer_id)
        errors: dict[str, str] = {}
        name = phone = ""
        email = None
        try:
            name = normalise_name(cmd.name)
        except InvalidInput as error:
            errors["name"] = str(error)
        if cmd.phone.strip() or cmd.source is not Source.WALK_IN:
            try:
                phone = normalise_phone(cmd.phone) if cmd.phone.strip() else ""
                if not phone:
                    raise InvalidInput("phone", "Enter a phone number so we can reach the guest.")
            except InvalidInput as error:
                errors["phone"] = str(error)
        try:
            email = normalise_email(cmd.email)
        except InvalidInput as error:
            errors["email"] = str(error)
        if errors:
            raise InvalidFields(errors)
        given = Customer(id=str(uuid.uuid4()), name=name, phone=phone, email=email, tags=cmd.tags)
        existing = self._known_guest(uow, cmd, given)
        return booked_customer(existing, given)

    @staticmethod
    def _known_guest(uow: UnitOfWork, cmd: NewBooking, given: Customer) -> Customer | None:
        """The known guest this booking is for, or None for a new guest.

        A number alone never decides whose booking it is: when the name typed is
        not the name of the guest(s) with that number, staff are asked (the form
        shows both; the command line takes ``--guest``).
        """
        if not given.phone or cmd.guest is GuestChoice.NEW:
            return None
        guests = uow.customers.by_phone(given.phone)
        same = [g for g in guests if _same_name(g.name, given.name)]
        if same or not guests:
            return same[0] if same else None
        if cmd.guest is GuestChoice.KNOWN and len(guests) == 1:
            return guests[0]
        raise SamePhoneOtherName(given.phone, given.name, guests)

    def _seating(
        self,
        uow: UnitOfWork,
        bundle: VenueRules,
        cmd: NewBooking,
        customer: Customer,
        duration: int,
        now: datetime,
    ) -> tuple[Seating | None, Decision | None]:
        request = SeatingRequest(cmd.party_size, cmd.start, duration, vip=customer.vip)
        if not cmd.table_ids:
            decision = decision_for(uow, bundle, request, now)
            if decision.kind is DecisionKind.SEAT or (
                decision.kind is DecisionKind.SEAT_WITH_MOVES and cmd.allow_moves
            ):
                return decision.seating, decision
            return None, decision
        bookings = night_bookings(uow, bundle, cmd.start)
        combination = bundle.plan.check_seating(cmd.table_ids, cmd.party_size)
        if not is_free(bundle.plan, bookings, cmd.table_ids, request):
            raise taken(uow, bundle, bookings, cmd.table_ids, request)
        held = held_around(uow, bundle, cmd.start, now)
        refuse_if_held(bundle, held, tuple(cmd.table_ids), request)
        return Seating(tuple(cmd.table_ids), combination), None

    def _why_not(self, uow: UnitOfWork, bundle: VenueRules, decision: Decision) -> list[str]:
        """What staff could do instead of the waitlist, in words."""
        if decision.kind is DecisionKind.SEAT_WITH_MOVES:
            moves = "; ".join(move_sentences(uow, bundle, decision.moves))
            return [f"They would fit if you accept moving others: {moves}."]
        if decision.times:
            times = ", ".join(
                bundle.venue.show_time(t.start) + (f" (moving {t.moves})" if t.moves else "")
                for t in decision.times
            )
            return [f"Nearest times with room: {times}."]
        return []

    def _args(
        self,
        rules: VenueRules,
        cmd: NewBooking,
        customer: Customer,
        duration: int,
        seating: Seating | None,
        now: datetime,
    ) -> CreateBookingArgs:
        """The create intent as staff asked for it; its meaning prices and places it."""
        if seating is None:
            status = BookingStatus.WAITLISTED
        elif cmd.source is Source.WALK_IN:
            status = BookingStatus.SEATED
        else:
            status = BookingStatus.CONFIRMED
        waitlisted_at = now if status is BookingStatus.WAITLISTED else None
        score = priority(customer, cmd.occasion, waitlisted_at, now).total if waitlisted_at else 0
        tables = seating.table_ids if seating else ()
        return wire(
            CreateBookingArgs,
            reference=new_reference(),
            customer=customer_data(customer),
            party_size=cmd.party_size,
            start=cmd.start,
            duration_minutes=duration,
            table_ids=list(tables),
            status=status,
            special_requests=cmd.special_requests,
            occasion=cmd.occasion,
            notes=cmd.notes,
            priority_score=score,
            source=cmd.source,
            waitlisted_at=waitlisted_at,
            fencing_token=self._token(cmd, tables),
            recorded_past=cmd.record_past and rules.venue.is_past(cmd.start, now),
            # Only when there is one: an older server refuses a field it does not know.
            **({"package_id": cmd.package_id} if cmd.package_id else {}),
        )

    def _message(self, bundle: VenueRules, booking: Booking) -> str:
        where = seating_words(bundle, booking)
        when = bundle.venue.show_day_time(booking.start)
        match booking.status:
            case BookingStatus.WAITLISTED:
                return (
                    f"Added to the waitlist: no table is free for a party of "
                    f"{booking.party_size} at {when}."
                )
            case BookingStatus.SEATED:
                return f"Seated at {where}."
            case BookingStatus.PENDING:
                return (
                    f"Held at {where} for {when}, pending the "
                    f"{format_pence(booking.deposit_pence)} deposit."
                )
            case _:
                return f"Confirmed at {where} for {when}."


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
