"""Waitlist offers on the desk: a freed table goes to the best guest who fits, held, then on.

The pure machine is app.domain.waitlist; this runs it against the desk's
database. ``after_status_change`` is called inside the status use cases' own
unit of work, so a cancel and the offer it triggers commit together. ``settle``
(run by the desk's timer, and after every hook) expires offers, withdraws those
whose guest left the list or whose table was taken, and offers unclaimed tables
to guests who joined the list since.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.domain.allocation import Seating
from app.domain.booking import Booking, BookingStatus
from app.domain.customer import Customer
from app.domain.messages.log import GuestMessage
from app.domain.messages.staff import offer_text_words
from app.domain.messages.wording import TemplateName
from app.domain.priority import priority
from app.domain.rules import VenueRules
from app.domain.waitlist import (
    DEFAULT_HOLD_MINUTES,
    Entry,
    EventKind,
    FreedTable,
    Offer,
    OfferNotOpen,
    Waitlist,
    WaitlistEvent,
    Withdrawal,
    seat_from,
)
from app.models.uow import Reader, Store, UnitOfWork
from app.services.common import Clock
from app.services.held import Held, other_desks
from app.services.offer_holds import Offered, Wanted

S = BookingStatus
TEXT_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class OfferView:
    """An open offer as the waitlist panel shows it."""

    booking: Booking
    customer: Customer
    seating: Seating
    tables: str
    begins: datetime
    expires_at: datetime
    why: str
    # How the offer's text to the guest stands (app.domain.messages.staff.offer_text_words).
    texted: str = ""


@dataclass(frozen=True, slots=True)
class SkipView:
    customer_name: str
    tables: str
    reason: str
    at: datetime


class WaitlistOffers:
    def __init__(
        self, store: Store, clock: Clock, hold_minutes: int = DEFAULT_HOLD_MINUTES
    ) -> None:
        self.store = store
        self.clock = clock
        self.hold_minutes = hold_minutes

    # -- hooks, inside a use case's unit of work -------------------------------------

    def after_status_change(
        self, uow: UnitOfWork, bundle: VenueRules, before: Booking, after: Booking, now: datetime
    ) -> tuple[WaitlistEvent, ...]:
        day = bundle.venue.service_day(after.start)
        freed = freed_by(bundle, uow, before, after, now)
        state = self._state(uow, bundle, day, now)
        start = state
        events: list[WaitlistEvent] = []
        offer = state.offer_for(before.id)
        if offer is not None and before.status is S.WAITLISTED and after.status is not S.WAITLISTED:
            if took(after, offer.freed.table_ids):
                try:
                    state, happened = state.accept(before.id, now)
                except OfferNotOpen:
                    state, happened = state.remove(before.id, now)
            else:
                state, happened = state.remove(before.id, now)
            events.extend(happened)
        if freed is not None:
            state, happened = state.table_freed(freed, now)
            events.extend(happened)
        state, happened = self._reconcile(uow, bundle, state, now)
        events.extend(happened)
        uow.offers.save(day, start, state, events, now)
        return tuple(events)

    # -- use cases -------------------------------------------------------------------

    def decline(self, booking_id: str) -> tuple[WaitlistEvent, ...]:
        """The guest said no (or staff couldn't reach them): the table goes to the next."""
        return self._step(booking_id, lambda state, now: state.decline(booking_id, now))

    def settle(self, day: date | None = None) -> tuple[WaitlistEvent, ...]:
        """Expire, withdraw and re-offer as the night has moved on (the desk's timer)."""
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            events = self.settle_in(uow, bundle, day or bundle.venue.current_night(now), now)
            uow.commit()
        return events

    def settle_in(
        self, uow: UnitOfWork, bundle: VenueRules, day: date, now: datetime
    ) -> tuple[WaitlistEvent, ...]:
        """``settle`` inside an open unit of work (after a guest joins the list, say)."""
        state = before = self._state(uow, bundle, day, now)
        state, freed = self._released_by_server(uow, bundle, day, state, now)
        state, events = self._reconcile(uow, bundle, state, now)
        events = (*freed, *events)
        if events or state != before:
            uow.offers.save(day, before, state, events, now)
        return events

    # -- reads -----------------------------------------------------------------------

    def news(self, events: tuple[WaitlistEvent, ...]) -> str:
        """Offers taken back from under a guest, then the offers just made, in words for
        the desk's notice bar (an offer made and ended in one step was never seen)."""
        made_now = {e.offer.id for e in events if e.offer and e.kind is EventKind.OFFERED}
        ended = {e.offer.id for e in events if e.offer and e.kind is not EventKind.OFFERED}
        told = [
            e
            for e in events
            if e.booking_id
            and e.offer
            and (
                (e.kind is EventKind.OFFERED and e.offer.id not in ended)
                or (e.why is not None and e.offer.id not in made_now)
            )
        ]
        if not told:
            return ""
        with self.store.read() as reader:
            bundle = reader.venue.get()
            bookings = [reader.bookings.get(e.booking_id or "") for e in told]
            names = reader.customers.many([b.customer_id for b in bookings if b])
        words = []
        for e, b in zip(told, bookings, strict=True):
            if b is None or e.offer is None or b.customer_id not in names:
                continue
            name, tables = names[b.customer_id].name, bundle.plan.numbers(e.freed.table_ids)
            if e.why is Withdrawal.TAKEN:
                words.append(
                    f"Table {tables} is no longer offered to {name}; tell them if they were called."
                )
            elif e.why is Withdrawal.UNFIT:
                words.append(
                    f"{name}'s party of {b.party_size} no longer fits table {tables}, so it "
                    "is no longer held for them."
                )
            elif e.why is Withdrawal.ELSEWHERE:
                words.append(
                    f"{name} is being offered a table by another desk, so table {tables} "
                    "is no longer held for them here."
                )
            else:
                words.append(
                    f"Table {tables} offered to {name} (party of {b.party_size}), held until "
                    f"{bundle.venue.show_time(e.offer.expires_at)}."
                )
        return " ".join(words)

    def offers(self, day: date) -> list[OfferView]:
        now = self.clock()
        with self.store.read() as reader:
            bundle = reader.venue.get()
            state = self._state(reader, bundle, day, now)
            bookings = {b.id: b for b in reader.bookings.on_day(day, [S.WAITLISTED])}
            customers = reader.customers.many([b.customer_id for b in bookings.values()])
            texts = reader.messages.latest(bookings, TemplateName.OFFER_MADE.value)
        views = []
        for offer in state.offers:
            b = bookings.get(offer.booking_id)
            # An offer to a guest another desk now offers a table passes on at the next
            # settle; until then it is not shown, nor held.
            if b is None or offer.expires_at <= now or offer.booking_id in state.elsewhere:
                continue
            seating = seating_within(bundle, offer.freed.table_ids, b.party_size)
            begins = seat_from(entry_of(b, customers[b.customer_id], now), offer.freed, now)
            views.append(
                OfferView(
                    b,
                    customers[b.customer_id],
                    seating,
                    bundle.plan.numbers(seating.table_ids),
                    begins,
                    offer.expires_at,
                    offer.freed.why,
                    offer_text_words(_this_offers(texts.get(b.id), offer), bundle.venue.show_time),
                )
            )
        return sorted(views, key=lambda v: v.expires_at)

    def holds_wanted(self, day: date) -> Wanted:
        """The server holds this desk's open offers want: each offer's tables for the
        guest's stay from when they would sit, named for the guest until it ends."""
        return {
            f"{v.booking.id}:{'+'.join(v.seating.table_ids)}": Offered(
                v.seating.table_ids,
                v.begins,
                v.begins + timedelta(minutes=v.booking.duration_minutes),
                v.booking.id,
                v.expires_at,
            )
            for v in self.offers(day)
        }

    def fairness_log(self, day: date) -> list[SkipView]:
        """Who was passed over for which freed table tonight, and why."""
        with self.store.read() as reader:
            bundle = reader.venue.get()
            freed = {f.id: f for f in reader.offers.freed_on(day)}
            skips = reader.offers.skips(freed)
            bookings = [reader.bookings.get(s.booking_id) for s in skips]
            customers = reader.customers.many([b.customer_id for b in bookings if b])
        views = []
        for skip, b in zip(skips, bookings, strict=True):
            name = customers[b.customer_id].name if b and b.customer_id in customers else "?"
            tables = bundle.plan.numbers(freed[skip.freed_id].table_ids)
            views.append(SkipView(name, tables, skip.reason.value, skip.at))
        return views

    # -- the machine against the database --------------------------------------------

    def _step(self, booking_id: str, step: object) -> tuple[WaitlistEvent, ...]:
        now = self.clock()
        with self.store.unit_of_work() as uow:
            bundle = uow.venue.get()
            booking = uow.bookings.get(booking_id)
            if booking is None:
                raise OfferNotOpen("That guest is no longer on this desk's waitlist.")
            day = bundle.venue.service_day(booking.start)
            before = self._state(uow, bundle, day, now)
            state, events = step(before, now)  # type: ignore[operator]
            state, more = self._reconcile(uow, bundle, state, now)
            uow.offers.save(day, before, state, (*events, *more), now)
            uow.commit()
        return (*events, *more)

    def _state(self, reader: Reader, bundle: VenueRules, day: date, now: datetime) -> Waitlist:
        waiting = reader.bookings.on_day(day, [S.WAITLISTED])
        customers = reader.customers.many([b.customer_id for b in waiting])
        stored = reader.offers.state(day, self.hold_minutes)
        state = replace(
            stored,
            offers=tuple(replace(o, freed=as_the_floor_is(bundle, o.freed)) for o in stored.offers),
            unclaimed=tuple(as_the_floor_is(bundle, f) for f in stored.unclaimed),
        )
        entries = tuple(entry_of(b, customers[b.customer_id], now) for b in waiting)
        listed = {b.id for b in waiting}
        elsewhere = frozenset(h.for_booking for h in offered_elsewhere(reader, listed, now))
        return replace(state, entries=entries, elsewhere=elsewhere)

    def _released_by_server(
        self, reader: Reader, bundle: VenueRules, day: date, state: Waitlist, now: datetime
    ) -> tuple[Waitlist, tuple[WaitlistEvent, ...]]:
        """Tables the server freed tonight: bookings it cancelled because the payment link
        this desk sent expired unpaid, or because the guest of a booking this desk took
        replied 9 to its text. No desk's cancel offered them, so that desk does, once (the
        freed table is named by the link, or by the reply)."""
        cancelled = {b.id: b for b in reader.bookings.on_day(day, [S.CANCELLED])}
        released = {
            f"{RELEASED}{request_id}": (booking_id, UNPAID)
            for request_id, booking_id in reader.links.released_here(cancelled).items()
        }
        released |= {
            f"{GUEST_CANCELLED}{reply_id}": (booking_id, _WHY[S.CANCELLED])
            for reply_id, booking_id in reader.messages.cancelled_by_guest_here(cancelled).items()
        }
        events: list[WaitlistEvent] = []
        for freed_id in sorted(set(released) - reader.offers.known(released)):
            booking_id, why = released[freed_id]
            b = cancelled[booking_id]
            freed = freed_by(bundle, reader, replace(b, status=S.PENDING), b, now)
            if freed is not None:
                freed = replace(freed, id=freed_id, why=why)
                state, happened = state.table_freed(freed, now)
                events.extend(happened)
        return state, tuple(events)

    def _reconcile(
        self, reader: Reader, bundle: VenueRules, state: Waitlist, now: datetime
    ) -> tuple[Waitlist, tuple[WaitlistEvent, ...]]:
        events: list[WaitlistEvent] = []
        # A guest now on their offered tables took the offer elsewhere: by replying 1 to
        # its text (the server seated them, server/messages/offer_replies.py), or at
        # another desk. The offer is accepted, not withdrawn.
        for offer in state.offers:
            b = reader.bookings.get(offer.booking_id)
            if b is not None and took(b, offer.freed.table_ids):
                try:
                    state, happened = state.accept(offer.booking_id, now)
                except OfferNotOpen:
                    continue
                events.extend(happened)
        # A guest who replied 9 to the offer's text passed it on (the reply came with sync).
        declined = reader.messages.declined_offers([o.booking_id for o in state.offers])
        for offer in state.offers:
            said = declined.get(offer.booking_id)
            if said is not None and said >= offer.offered_at:
                try:
                    state, happened = state.decline(offer.booking_id, now)
                except OfferNotOpen:
                    continue
                events.extend(happened)
        # A guest whose party changed past the table, or another desk is offering a table
        # now (its server hold was granted; this desk's, if it asked, was refused): the
        # offer passes on.
        for step in (Waitlist.refit, Waitlist.step_aside):
            state, happened = step(state, now)
            events.extend(happened)
        # Taken tables next: a guest seated on their offered table elsewhere (another
        # desk, say) must not hand that table on to the next guest; nor a table another
        # desk is offering a waitlisted guest (freed there too, while the desks were
        # apart), nor one a manager has taken off the floor plan since.
        listed = {e.booking_id for e in state.entries}
        offering = offered_elsewhere(reader, listed, now)
        for freed in (*(o.freed for o in state.offers), *state.unclaimed):
            if (
                not still_free(reader, bundle, freed, now)
                or _held_for(offering, freed, now)
                or not all(bundle.plan.table(t).active for t in freed.table_ids)
            ):
                state, happened = state.table_taken(freed.id, now)
                events.extend(happened)
        for offer in state.offers:
            if offer.booking_id not in listed:
                state, happened = state.remove(offer.booking_id, now)
                events.extend(happened)
        state, happened = state.tick(now)
        events.extend(happened)
        state, happened = state.offer_unclaimed(now)
        events.extend(happened)
        return state, tuple(events)


def _this_offers(text: GuestMessage | None, offer: Offer) -> GuestMessage | None:
    """The text, if it is this offer's (the server queued it once the offer was made:
    a few minutes of clock difference between desk and server allowed for)."""
    if text is None or text.created_at < offer.offered_at - TEXT_SKEW:
        return None
    return text


def took(b: Booking, offered: tuple[str, ...]) -> bool:
    """``b`` left the waitlist onto (some of) the offered tables — even if it has ended
    since (the guest took the offer by text, then cancelled by text before this desk
    pulled the first): the offer was taken, and what the end freed is offered anew."""
    return b.status is not S.WAITLISTED and bool(b.table_ids) and set(b.table_ids) <= set(offered)


def entry_of(b: Booking, customer: Customer, now: datetime) -> Entry:
    score = priority(customer, b.occasion, b.waitlisted_at, now).total
    return Entry(
        b.id,
        b.party_size,
        b.duration_minutes,
        score,
        b.waitlisted_at or b.created_at,
        customer.vip,
        b.start,
    )


def freed_by(
    bundle: VenueRules, reader: Reader, before: Booking, after: Booking, now: datetime
) -> FreedTable | None:
    """The stretch of the night a status change gives back, if any.

    A cancel or no-show frees the booking's slot; an early finish frees the rest
    of it. Free until the next booking on any of those tables, or closing.
    """
    if not before.holds_tables or after.holds_tables or before.end <= now:
        return None
    if after.status is S.COMPLETED:
        start = now
    elif after.status in (S.CANCELLED, S.NO_SHOW):
        start = max(now, before.start)
    else:
        return None
    day = bundle.venue.service_day(before.start)
    window = bundle.venue.opening_window(day)
    until = window[1] if window else before.end
    for b in reader.bookings.around([day, day + timedelta(days=1)]):
        if b.id != before.id and b.holds_tables and set(b.table_ids) & set(before.table_ids):
            if b.start >= start:
                until = min(until, b.start)
            elif b.end > start:
                return None
    if until <= start:
        return None
    freed = FreedTable(str(uuid.uuid4()), tuple(before.table_ids), 0, 0, start, until)
    return as_the_floor_is(bundle, replace(freed, why=_WHY[after.status]))


def as_the_floor_is(bundle: VenueRules, freed: FreedTable) -> FreedTable:
    """Who the freed tables seat, as the floor plan is now: a manager may have resized a
    table, changed a join's range or an area's VIP flag since the table came free."""
    tables = [bundle.plan.table(t) for t in freed.table_ids]
    combination = bundle.plan.combination_for(freed.table_ids)
    vip_areas = {a.id for a in bundle.plan.areas if a.vip}
    return replace(
        freed,
        min_party=min(t.min_covers for t in tables),
        max_party=combination.max_party if combination else max(t.max_covers for t in tables),
        vip=all(t.vip or t.area_id in vip_areas for t in tables),
    )


_WHY = {S.COMPLETED: "early finish", S.CANCELLED: "cancellation", S.NO_SHOW: "no-show"}
# A table the server freed: its booking's payment link expired unpaid.
UNPAID = "deposit not paid"
RELEASED = "unpaid-link:"
# A table the server freed: the booking's guest replied 9 to its text.
GUEST_CANCELLED = "guest-reply:"


def offered_elsewhere(reader: Reader, listed: set[str], now: datetime) -> list[Held]:
    """Other desks' live holds on tables for guests on this waitlist: their offers."""
    return [h for h in other_desks(reader, now) if h.for_booking in listed]


def _held_for(offering: list[Held], freed: FreedTable, now: datetime) -> bool:
    start = max(now, freed.start)
    end = freed.until or start + timedelta(hours=2)
    shared = set(freed.table_ids)
    return any(shared & set(h.table_ids) and h.start < end and start < h.end for h in offering)


def still_free(reader: Reader, bundle: VenueRules, freed: FreedTable, now: datetime) -> bool:
    """The freed stretch is still there: not over, and nobody booked onto it meanwhile."""
    start = max(now, freed.start)
    end = freed.until or start + timedelta(hours=2)
    if end <= start + timedelta(minutes=15):
        return False
    day = bundle.venue.service_day(freed.start)
    for b in reader.bookings.around([day, day + timedelta(days=1)]):
        if b.holds_tables and set(b.table_ids) & set(freed.table_ids) and b.overlaps(start, end):
            return False
    return True


def seating_within(bundle: VenueRules, table_ids: tuple[str, ...], party: int) -> Seating:
    """The snuggest single table of a freed join that seats the party, else the join."""
    singles = sorted(
        (bundle.plan.table(t) for t in table_ids),
        key=lambda t: (t.max_covers, t.number),
    )
    for table in singles:
        if table.active and table.fits(party):
            return Seating((table.id,), None)
    return Seating(tuple(table_ids), bundle.plan.combination_for(table_ids))
