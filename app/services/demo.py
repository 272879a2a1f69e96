"""The Backroom demo: the venue from resources/, three staff, and a realistic night.

The night is generated through the real use cases (so it has audit events and
intents like any other booking), from a seed, and then brought up to "now":
parties whose time has come are seated, those whose time has passed are
completed or marked no-show, so the floor looks like a live Friday.
"""

from __future__ import annotations

import heapq
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from app.domain.booking import Booking, BookingStatus
from app.domain.deposit_ledger import PaymentMethod
from app.domain.errors import DomainError
from app.domain.permissions import Role, Staff
from app.domain.pin_hash import hash_pin
from app.models.uow import Store
from app.services.booking_create import BookingCreation, NewBooking
from app.services.booking_status import BookingLifecycle
from app.services.common import Clock
from app.services.demo_history import demo_package, demo_spend, seed_history
from app.services.deposits import DepositSettling, TakeDeposit
from app.services.spend import SpendRecording
from app.services.waitlist_offers import WaitlistOffers
from resources import BACKROOM_JSON

DEMO_STAFF = (
    ("sam", "Sam Reid", Role.RECEPTION, "1111"),
    ("alex", "Alex Moore", Role.MANAGER, "2222"),
    ("jo", "Jo Patel", Role.ADMIN, "3333"),
)
FIRST = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Harry",
    "Mia",
    "Noah",
    "Priya",
    "Leo",
    "Grace",
    "Jack",
    "Freya",
    "Arjun",
    "Chloe",
    "Kwame",
    "Ella",
    "Tom",
    "Zara",
    "Finn",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Khan",
    "Evans",
    "Walker",
    "Wright",
    "Hughes",
    "Okafor",
    "Green",
    "Hall",
    "Clarke",
    "Nowak",
    "Murphy",
    "Ali",
    "Wood",
]
OCCASIONS = ["birthday", "anniversary", "hen do", "promotion", "engagement"]
REQUESTS = [
    "Near the DJ booth please",
    "Wheelchair access",
    "Quiet corner",
    "Bringing a cake",
    "Gluten-free snacks",
]


@dataclass(frozen=True, slots=True)
class DemoNight:
    created: int
    waitlisted: int


def ensure_venue(store: Store, clock: Clock, device_name: str = "Reception") -> bool:
    """Load The Backroom, its staff and this desk's identity into an empty file."""
    with store.unit_of_work() as uow:
        if uow.venue.exists():
            return False
        data = json.loads(BACKROOM_JSON.read_text())
        now = clock()
        uow.venue.add_from_dict(data, now)
        venue_id = data["venue"]["id"]
        for username, name, role, pin in DEMO_STAFF:
            uow.staff.add(
                Staff(
                    str(uuid.uuid5(uuid.NAMESPACE_URL, f"backroom/staff/{username}")), name, role
                ),
                venue_id,
                username,
                hash_pin(pin),
            )
        uow.device.add(str(uuid.uuid4()), device_name, venue_id)
        uow.commit()
    return True


def demo_manager(store: Store) -> Staff:
    return next(s for s in _staff(store) if s.role is Role.MANAGER)


def _staff(store: Store) -> list[Staff]:
    with store.read() as reader:
        return reader.staff.all()


def generate_night(
    store: Store,
    clock: Clock,
    day: date,
    seed: int = 7,
    parties: int = 34,
    booked_at: datetime | None = None,
) -> DemoNight:
    """Book a night of two waves (early drinks, late crowd), groups weighted heavy.

    ``booked_at``: when the bookings are written as made (default now); a booking for a
    time gone by now is still recorded as a manager's past booking, as the server expects.
    """
    rng = random.Random(seed)
    staff = demo_manager(store)
    with store.read() as reader:
        rules = reader.venue.get()
    venue = rules.venue
    made = booked_at
    creation = BookingCreation(store, clock if made is None else (lambda: made))
    created = waitlisted = 0
    for i in range(parties):
        size = rng.choices([2, 3, 4, 5, 6, 8, 9, 10], weights=[24, 10, 22, 10, 12, 8, 7, 4])[0]
        early = rng.random() < 0.45
        hour, minute_ = (
            (rng.choice([17, 18, 19]) if early else rng.choice([20, 21, 22, 23])),
            rng.choice([0, 15, 30, 45]),
        )
        start = venue.wall_time_on(day, time(hour, minute_))
        closes = venue.opening_window(day)
        if closes is None:
            break
        minutes_left = int((closes[1] - start).total_seconds() // 60)
        duration = min(venue.default_duration(size), minutes_left)
        if duration < 60:
            continue
        cmd = NewBooking(
            duration_minutes=duration,
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            phone=f"0113 496 {i:04d}",
            party_size=size,
            start=start,
            occasion=rng.choice(OCCASIONS) if rng.random() < 0.2 else "",
            special_requests=rng.choice(REQUESTS) if rng.random() < 0.25 else "",
            # The night so far is written up as a manager would after an outage.
            record_past=start < clock(),
            package_id=demo_package(rules.deposits, size, i),
        )
        try:
            result = creation.create_booking(staff, cmd)
        except DomainError:
            continue
        created += 1
        waitlisted += result.booking.status is BookingStatus.WAITLISTED
    return DemoNight(created, waitlisted)


def bring_to_now(store: Store, clock: Clock, day: date, seed: int = 7) -> None:
    """Seat, finish or no-show the night's bookings as the clock says they would have been.

    Each step is taken at the time it would have happened (a party seated at its
    booked time, most finishing a little early), in time order, so the audit log and
    the night review show real turn times, deposits taken at the door, a few walk-ins,
    and waitlist offers for the tables that came free.
    """
    rng = random.Random(seed + 1)
    staff = demo_manager(store)
    now = clock()
    at = _Moment(now)
    offers = WaitlistOffers(store, at)
    lifecycle = BookingLifecycle(store, at, offers)
    door = DepositSettling(store, at, offers)
    walk_ins = BookingCreation(store, at, offers)
    spending = SpendRecording(store, at)
    steps: list[tuple[datetime, int, int, Callable[[], object]]] = []

    def later(moment: datetime, order: int, step: Callable[[], object]) -> None:
        if moment <= now:
            heapq.heappush(steps, (moment, order, len(steps) + rng.randrange(1000), step))

    def sat(b: Booking) -> None:
        if b.end <= now or rng.random() < 0.9:
            minutes = int(b.duration_minutes * rng.uniform(0.75, 0.95))
            later(b.start + timedelta(minutes=minutes), 0, lambda: leave(b.id))

    def leave(booking_id: str) -> None:
        left = lifecycle.complete(staff, booking_id).booking
        spending.record(staff, booking_id, demo_spend(left))
        for offer in offers.offers(day):
            if rng.random() < 0.5:
                promoted = lifecycle.promote(
                    staff, offer.booking.id, offer.seating.table_ids, offer.begins
                ).booking
                later(max(offer.begins, at.now), 1, lambda b=promoted: seat(b))

    def seat(b: Booking) -> None:
        lifecycle.seat(staff, b.id)
        sat(b)

    def walk_in(size: int) -> None:
        sat(walk_ins.walk_in(staff, size).booking)

    with store.read() as reader:
        bookings = reader.bookings.on_day(day)
        venue = reader.venue.get().venue
    for b in bookings:
        if b.start > now or b.status not in (BookingStatus.CONFIRMED, BookingStatus.PENDING):
            continue
        if b.status is BookingStatus.PENDING:
            if rng.random() < 0.25:
                # The deposit was never paid: the table was released when the time came.
                later(b.start, 0, partial(lifecycle.cancel, staff, b.id, "deposit not paid"))
            else:
                paid = TakeDeposit(b.deposit_pence, PaymentMethod.CARD_MACHINE)
                later(
                    b.start,
                    1,
                    lambda b=b, paid=paid: sat(door.seat_at_door(staff, b.id, paid).booking),
                )
            continue
        if rng.random() < 0.05 and now > b.start + timedelta(minutes=30):
            later(b.start + timedelta(minutes=30), 0, partial(lifecycle.no_show, staff, b.id))
            continue
        later(b.start, 1, lambda b=b: seat(b))
    for hour in (18, 20, 21, 22):
        minute_ = rng.choice([5, 20, 35, 50])
        later(
            venue.wall_time_on(day, time(hour, minute_)),
            1,
            partial(walk_in, rng.choice([2, 2, 3, 4])),
        )
    # Leaving before arriving at the same minute frees the table for the next party.
    while steps:
        at.now, _order, _tie, step = heapq.heappop(steps)
        try:
            step()
        except DomainError:
            continue  # a step the night no longer allows (its table taken) is skipped
    at.now = now


class _Moment:
    """The demo's own clock while it replays the night so far."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def demo_pins_hint(store: Store) -> str | None:
    """The demo staff and their PINs, for the sign-in dialog — only on a demo desk: one
    that is not connected and still has the demo staff. A real venue never shows them."""
    with store.read() as reader:
        if reader.device.get().server_url:
            return None
        if any(reader.staff.by_username(username) is None for username, *_ in DEMO_STAFF):
            return None
    staff = ", ".join(f"{u} / {pin} ({role.value})" for u, _, role, pin in DEMO_STAFF)
    return f"Demo staff: {staff}."


def seed_demo(
    store: Store, clock: Clock, day: date | None = None, *, history: bool = False
) -> DemoNight | None:
    """Venue, staff and tonight's bookings on a new file (with ``history``, past nights for
    the night review too); nothing on one that has them."""
    ensure_venue(store, clock)
    with store.read() as reader:
        if reader.bookings.count():
            return None
        venue = reader.venue.get().venue
    night = day or venue.current_night(clock())
    if history:
        seed_history(store, night)
    # The night was booked that afternoon (or now, if earlier), so its replay up to now
    # comes after the bookings in every booking's history.
    window = venue.opening_window(night)
    now = clock()
    booked = min(now, window[0] - timedelta(hours=2)) if window is not None else now
    result = generate_night(store, clock, night, booked_at=booked)
    bring_to_now(store, clock, night)
    return result
