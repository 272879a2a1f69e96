"""Past nights for the demo, so the night review has twelve weeks to compare tonight with.

Going through the use cases would take a minute (each booking runs the allocator);
instead each past booking is made from the same domain types, its changes sealed
into an audit chain of their own (an earlier desk, "Demo history", so this desk's
own chain and the server's anchor are untouched and ``audit verify`` passes), and
the lot written in one transaction (app.models.demo_history_writer).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from app.domain.audit import GENESIS, AuditEvent, seal
from app.domain.booking import Booking, BookingStatus, DepositState, Source, booking_snapshot
from app.domain.customer import Customer
from app.domain.deposit_ledger import LedgerEntry, LedgerKind, PaymentMethod
from app.domain.deposits import cancelled_in_free_window, price
from app.domain.packages import Sells, offered, package_price
from app.domain.references import new_reference
from app.domain.review import HISTORY_WEEKS
from app.domain.rules import VenueRules
from app.domain.venue import Venue
from app.models.demo_history_writer import write_history
from app.models.uow import Store

S = BookingStatus
HISTORY_DEVICE = str(uuid.uuid5(uuid.NAMESPACE_URL, "backroom/demo/history-desk"))
# Parties on a usual night, Monday first: Friday and Saturday are the busy ones.
PARTIES = (14, 14, 16, 20, 30, 32, 12)
SIZES = ([2, 3, 4, 5, 6, 8, 9, 10], [26, 10, 24, 10, 12, 8, 6, 4])


@dataclass
class History:
    customers: list[Customer] = field(default_factory=list)
    bookings: list[tuple[Booking, date]] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)
    _prev: str = GENESIS

    def log(self, at: datetime, action: str, before: Booking | None, after: Booking) -> None:
        event = seal(
            id=str(uuid.uuid4()),
            device_id=HISTORY_DEVICE,
            seq=len(self.events) + 1,
            at=at,
            staff_id=_STAFF_ID,
            staff_name="Alex Moore",
            action=action,
            entity="booking",
            entity_id=after.id,
            before=booking_snapshot(before) if before else None,
            after=booking_snapshot(after),
            prev_hash=self._prev,
        )
        self._prev = event.hash
        self.events.append(event)


_STAFF_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "backroom/staff/alex"))


def seed_history(store: Store, tonight: date, seed: int = 11) -> int:
    """Past nights for the ``HISTORY_WEEKS`` weeks before ``tonight``; returns the bookings."""
    with store.read() as reader:
        rules = reader.venue.get()
    history = build_history(rules, tonight, random.Random(seed))
    write_history(store, history.customers, history.bookings, history.events, history.ledger)
    return len(history.bookings)


def build_history(
    rules: VenueRules,
    tonight: date,
    rng: random.Random,
    nights: list[date] | None = None,
    parties: tuple[int, ...] = PARTIES,
) -> History:
    """``nights`` (default ``history_nights``) with ``parties`` a night by weekday."""
    history = History()
    guests = [_guest(rng, i) for i in range(220)]
    history.customers = guests
    for day in history_nights(tonight) if nights is None else nights:
        if rules.venue.opening_window(day) is not None:
            _night(history, rules, day, rng, guests, parties[day.weekday()])
    return history


def history_nights(tonight: date) -> list[date]:
    """Tonight's weekday for twelve weeks back (what the review compares it with) and every
    night of the last two weeks (to browse): a quarter of the cost of every night."""
    days = {tonight - timedelta(weeks=k) for k in range(1, HISTORY_WEEKS + 1)}
    days |= {tonight - timedelta(days=k) for k in range(1, 14)}
    return sorted(days)


def _guest(rng: random.Random, i: int) -> Customer:
    from app.services.demo import FIRST, LAST

    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return Customer(str(uuid.uuid4()), name, f"+44113496{500 + i:04d}"[:13])


def _night(
    history: History,
    rules: VenueRules,
    day: date,
    rng: random.Random,
    guests: list[Customer],
    parties: int,
) -> None:
    venue = rules.venue
    opens, closes = venue.opening_window(day) or venue.service_window(day)
    free: dict[str, list[tuple[datetime, datetime]]] = {}
    for _ in range(parties + rng.randint(-3, 3)):
        size = rng.choices(*SIZES)[0]
        hour = rng.choice([17, 18, 19]) if rng.random() < 0.45 else rng.choice([20, 21, 22, 23])
        start = venue.wall_time_on(day, time(hour, rng.choice([0, 15, 30, 45])))
        duration = min(venue.default_duration(size), int((closes - start).total_seconds() // 60))
        if duration < 60 or start < opens:
            continue
        tables = _tables(rules, free, size, start, start + timedelta(minutes=duration))
        if not tables:
            continue
        walk_in = rng.random() < 0.15
        guest = rng.choice(guests)
        _party(history, rules, day, rng, guest, size, start, duration, tables, walk_in)


def _tables(
    rules: VenueRules,
    taken: dict[str, list[tuple[datetime, datetime]]],
    size: int,
    start: datetime,
    end: datetime,
) -> tuple[str, ...]:
    def free(table_id: str) -> bool:
        return all(e <= start or end <= s for s, e in taken.get(table_id, []))

    fits = [t for t in rules.plan.tables if t.active and t.min_covers <= size <= t.max_covers]
    for t in sorted(fits, key=lambda t: (t.max_covers, t.number)):
        if not t.vip and free(t.id):
            taken.setdefault(t.id, []).append((start, end))
            return (t.id,)
    for combo in rules.plan.combinations:
        if combo.min_party <= size <= combo.max_party and all(free(i) for i in combo.table_ids):
            for i in combo.table_ids:
                taken.setdefault(i, []).append((start, end))
            return tuple(combo.table_ids)
    return ()


def _party(
    history: History,
    rules: VenueRules,
    day: date,
    rng: random.Random,
    guest: Customer,
    size: int,
    start: datetime,
    duration: int,
    tables: tuple[str, ...],
    walk_in: bool,
) -> None:
    venue: Venue = rules.venue
    made = start if walk_in else start - timedelta(hours=rng.randint(3, 24 * 9))
    quote = price(rules.deposits, party_size=size, service_day=day, vip=False, source=Source.PHONE)
    deposit = 0 if walk_in else quote.pence
    promoted = not walk_in and rng.random() < 0.06
    booking_id = str(uuid.uuid4())
    package = None if walk_in else demo_package(rules.deposits, size, int(booking_id[:6], 16))
    b = Booking(
        id=booking_id,
        venue_id=venue.id,
        reference=new_reference(),
        customer_id=guest.id,
        party_size=size,
        start=start,
        duration_minutes=duration,
        status=S.SEATED if walk_in else S.CONFIRMED,
        created_at=made,
        updated_at=made,
        table_ids=tables,
        combined=len(tables) > 1,
        deposit_state=DepositState.PAID if deposit else DepositState.NOT_REQUIRED,
        deposit_pence=deposit,
        deposit_policy_version=quote.version,
        source=Source.WALK_IN if walk_in else Source.PHONE,
        waitlisted_at=made if promoted else None,
        package_id=package,
        package_pence=package_price(rules.deposits, package, size) if package else 0,
    )
    history.log(made, "create_booking", None, b)
    history.bookings.append((b, day))
    if deposit:
        history.ledger.append(_paid(b, made))
    for at, status in _fate(rng, b, walk_in):
        after = replace(b, status=status, updated_at=at)
        if status is S.COMPLETED:
            seated = next(e.at for e in reversed(history.events) if e.entity_id == b.id)
            after = replace(after, duration_minutes=max(15, int((at - seated).seconds // 60)))
        # The policy it was priced under gives the deposit back inside its free window.
        if (
            status is S.CANCELLED
            and deposit
            and cancelled_in_free_window(rules.deposits, b.start, at)
        ):
            after = replace(after, deposit_state=DepositState.REFUNDED)
            history.ledger.append(_paid(b, at, LedgerKind.REFUND))
        history.log(at, "set_status" if status is not S.CANCELLED else "cancel", b, after)
        b = after
        if status is S.COMPLETED:
            spent = replace(b, spend_pence=demo_spend(b))
            history.log(at, "record_spend", b, spent)
            b = spent
    history.bookings[-1] = (b, day)


def _fate(rng: random.Random, b: Booking, walk_in: bool) -> Iterator[tuple[datetime, S]]:
    roll = rng.random()
    if not walk_in and roll < 0.06:
        yield b.start + timedelta(minutes=30), S.NO_SHOW
        return
    if not walk_in and roll < 0.14:
        ahead = timedelta(hours=rng.choice([2, 5, 20, 30, 50, 80]))
        yield max(b.created_at, b.start - ahead), S.CANCELLED
        return
    seated = b.start + timedelta(minutes=0 if walk_in else rng.randint(-5, 15))
    if not walk_in:
        yield seated, S.SEATED
    yield seated + timedelta(minutes=int(b.duration_minutes * rng.uniform(0.7, 1.0))), S.COMPLETED


def _paid(b: Booking, at: datetime, kind: LedgerKind = LedgerKind.PAYMENT_IN_PERSON) -> LedgerEntry:
    return LedgerEntry(
        id=str(uuid.uuid4()),
        booking_id=b.id,
        kind=kind,
        amount_pence=b.deposit_pence,
        method=PaymentMethod.CARD_MACHINE if kind is LedgerKind.PAYMENT_IN_PERSON else None,
        note="",
        staff_name="Alex Moore",
        recorded_at=at,
    )


def demo_package(listed: Sells, size: int, key: int) -> str | None:
    """A demo party's package, if it pre-ordered one (about one in four), from a number
    drawn already (the booking's index or id), so the night's other draws stay as they were."""
    if key % 4:
        return None
    fits = [p.id for p in offered(listed, size)]
    return fits[(key // 4) % len(fits)] if fits else None


def demo_spend(b: Booking) -> int:
    """A demo party's bill from the till: £25–£55 a head, drawn from the booking's own id
    so that the night's other random draws stay as they were."""
    return b.party_size * (2_500 + int(b.id[:6], 16) % 3_001)
