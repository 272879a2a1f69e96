"""Read side for the desk: the night's bookings, the waitlist, the floor at a time, suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.allocation import Seating, SeatingRequest, allocate
from app.domain.booking import ACTIVE, Booking, BookingStatus, Source
from app.domain.customer import Customer
from app.domain.deposit_ledger import LedgerEntry, PaymentMethod
from app.domain.deposit_links import DepositLink
from app.domain.deposits import price
from app.domain.errors import DomainError
from app.domain.packages import package_words
from app.domain.priority import PriorityScore, priority
from app.domain.references import format_reference, parse_reference
from app.domain.rules import VenueRules
from app.domain.spend import Against, against
from app.models.uow import Store
from app.services.common import Clock
from app.services.held import held_tables
from app.services.waitlist_offers import OfferView, WaitlistOffers

SOON = timedelta(minutes=60)


def _paid_by(entries: list[LedgerEntry]) -> dict[str, PaymentMethod]:
    """Each booking's method of payment at the bar, from its latest counted payment."""
    return {e.booking_id: e.method for e in entries if e.counted and e.method is not None}


# A booking's spend before it is known (no minimum, nothing recorded).
NO_SPEND = Against(0, None)


@dataclass(frozen=True, slots=True)
class BookingView:
    booking: Booking
    customer: Customer
    tables: str
    # The server refused to create this booking, for this reason, and staff have not yet
    # retried or discarded it: it is not a live booking (app/services/refusals.py).
    refused: str = ""
    # How its deposit was paid at the bar, if it was (the ledger's latest payment).
    paid_by: PaymentMethod | None = None
    # Its latest deposit payment link, as the server made it (app.domain.deposit_links).
    link: DepositLink | None = None
    # Its latest claim or refund, and its deposit ledger (app.domain.deposit_words).
    action: DepositLink | None = None
    ledger: tuple[LedgerEntry, ...] = ()
    # What the party spent against its tables' minimum spend (app.domain.spend).
    spend: Against = NO_SPEND
    # Its package in words ("Prosecco package for 6, £180.00"; "": none).
    package: str = ""
    # When the desk read it, on its clock (a card hold past its day reads lapsed).
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WaitlistEntry:
    booking: Booking
    customer: Customer
    score: PriorityScore


class TableState(StrEnum):
    FREE = "free"
    BOOKED_SOON = "booked soon"
    SEATED = "seated"
    OVERDUE = "overdue"
    RESERVED = "reserved"
    # Held for a guest's waitlist offer, or another desk is booking it (known from sync).
    HELD = "held"
    # A booking that wanted the table lost a sync conflict and waits for staff.
    CONFLICT = "in conflict"


@dataclass(frozen=True, slots=True)
class TableView:
    table_id: str
    state: TableState
    booking: Booking | None
    # Why a held table is held: "held for Ben Ho's waitlist offer until 19:40".
    why: str = ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    seating: Seating | None
    deposit_pence: int
    duration_minutes: int


class Queries:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def venue(self) -> VenueRules:
        with self.store.read() as reader:
            return reader.venue.get()

    def tonight(self) -> date:
        return self.venue().venue.current_night(self.clock())

    def bookings_on(self, day: date, statuses: tuple[BookingStatus, ...] = ()) -> list[BookingView]:
        with self.store.read() as reader:
            bundle = reader.venue.get()
            bookings = reader.bookings.on_day(day, statuses or None)
            customers = reader.customers.many([b.customer_id for b in bookings])
            refused = reader.refusals.refused_creations()
            ids = [b.id for b in bookings]
            entries = reader.ledger.of_bookings(ids)
            links = reader.links.latest(ids)
            actions = reader.links.latest_actions(ids)
        paid_by, now = _paid_by(entries), self.clock()
        ledger: dict[str, list[LedgerEntry]] = {}
        for e in entries:
            ledger.setdefault(e.booking_id, []).append(e)
        return [
            BookingView(
                b,
                customers[b.customer_id],
                bundle.plan.numbers(b.table_ids) if b.table_ids else "",
                refused.get(b.id, ""),
                paid_by.get(b.id),
                links.get(b.id),
                actions.get(b.id),
                tuple(ledger.get(b.id, ())),
                against(bundle.plan, b),
                package_words(bundle.deposits, b),
                read_at=now,
            )
            for b in bookings
        ]

    def booking_by_reference(self, text: str) -> BookingView:
        """The booking staff named by its reference (as typed or heard), or a refusal."""
        reference = parse_reference(text)
        with self.store.read() as reader:
            found = reader.bookings.by_reference(reference)
        view = self.booking(found.id) if found is not None else None
        if view is None:
            raise DomainError(f"There is no booking {format_reference(reference)} on this desk.")
        return view

    def booking(self, booking_id: str) -> BookingView | None:
        with self.store.read() as reader:
            bundle = reader.venue.get()
            b = reader.bookings.get(booking_id)
            customer = reader.customers.get(b.customer_id) if b else None
            refused = reader.refusals.refused_creations().get(booking_id, "")
            link = reader.links.latest([booking_id]).get(booking_id)
            action = reader.links.latest_actions([booking_id]).get(booking_id)
            entries = reader.ledger.of_bookings([booking_id])
        if b is None or customer is None:
            return None
        tables = bundle.plan.numbers(b.table_ids) if b.table_ids else ""
        return BookingView(
            b,
            customer,
            tables,
            refused,
            _paid_by(entries).get(b.id),
            link,
            action,
            tuple(entries),
            against(bundle.plan, b),
            package_words(bundle.deposits, b),
            read_at=self.clock(),
        )

    def waitlist(self, day: date) -> list[WaitlistEntry]:
        """Waitlisted parties of the night, highest priority first, scored as of now."""
        now = self.clock()
        entries = [
            WaitlistEntry(
                v.booking,
                v.customer,
                priority(v.customer, v.booking.occasion, v.booking.waitlisted_at, now),
            )
            for v in self.bookings_on(day, (BookingStatus.WAITLISTED,))
        ]
        return sorted(entries, key=lambda e: (-e.score.total, e.booking.created_at))

    def offers(self, day: date) -> list[OfferView]:
        """Open waitlist offers of the night: who is being offered which held table."""
        return WaitlistOffers(self.store, self.clock).offers(day)

    def search_customers(self, text: str) -> list[Customer]:
        with self.store.read() as reader:
            return reader.customers.search(text)

    def suggest(
        self,
        party_size: int,
        start: datetime,
        duration_minutes: int | None = None,
        vip: bool = False,
        source: Source = Source.PHONE,
    ) -> Suggestion:
        with self.store.read() as reader:
            bundle = reader.venue.get()
            day = bundle.venue.service_day(start)
            bookings = reader.bookings.around(
                [day - timedelta(days=1), day, day + timedelta(days=1)]
            )
        minutes = duration_minutes or bundle.venue.default_duration(party_size)
        seating = allocate(bundle.plan, bookings, SeatingRequest(party_size, start, minutes, vip))
        deposit = price(
            bundle.deposits, party_size=party_size, service_day=day, vip=vip, source=source
        ).pence
        return Suggestion(seating, deposit, minutes)

    def floor_at(self, day: date, at: datetime) -> dict[str, TableView]:
        """Each table's state at an instant: what the floor plan colours."""
        with self.store.read() as reader:
            bundle = reader.venue.get()
            night = reader.bookings.on_day(day)
            holds = held_tables(reader, bundle, day, self.clock())
        bookings = [b for b in night if b.holds_tables]
        waiting: dict[str, Booking | None] = {
            b.id: b for b in night if b.status is BookingStatus.WAITLISTED
        }
        views = {t.id: TableView(t.id, TableState.FREE, None) for t in bundle.plan.tables}
        for b in sorted(bookings, key=lambda b: b.start, reverse=True):
            state = _state(b, at)
            if state is None:
                continue
            for tid in b.table_ids:
                current = views.get(tid)
                if current is None or _rank(state) >= _rank(current.state):
                    views[tid] = TableView(tid, state, b)
        for b in night:
            if b.status is BookingStatus.CONFLICT and b.overlaps(at, at + SOON):
                for tid in b.table_ids:
                    if tid in views:
                        views[tid] = TableView(tid, TableState.CONFLICT, b)
        for hold in holds:
            if not hold.start <= at < hold.end:
                continue
            for tid in hold.table_ids:
                current = views.get(tid)
                if current is not None and current.state in (
                    TableState.FREE,
                    TableState.BOOKED_SOON,
                ):
                    guest = waiting.get(hold.for_booking or "", current.booking)
                    views[tid] = TableView(tid, TableState.HELD, guest, hold.why)
        return views

    def pending_intents(self) -> int:
        with self.store.read() as reader:
            return reader.outbox.count()


def _state(b: Booking, at: datetime) -> TableState | None:
    if b.status is BookingStatus.SEATED:
        return TableState.OVERDUE if at >= b.end else TableState.SEATED
    if b.status not in ACTIVE:
        return None
    if b.start <= at < b.end:
        return TableState.RESERVED
    if at < b.start <= at + SOON:
        return TableState.BOOKED_SOON
    return None


def _rank(state: TableState) -> int:
    order = [
        TableState.FREE,
        TableState.BOOKED_SOON,
        TableState.RESERVED,
        TableState.SEATED,
        TableState.OVERDUE,
        TableState.HELD,
        TableState.CONFLICT,
    ]
    return order.index(state)
