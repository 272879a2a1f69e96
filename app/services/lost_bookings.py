"""Bookings the server lost, entered again from the copy a repair kept.

When the server's database was put back to an older backup, putting a desk right
(app.services.desk_repair) keeps its file as it was beside it
(``NAME.before-retake-STAMP`` or ``NAME.before-rebuild-STAMP``) and the desk takes the
server's night. The bookings made after the backup are then only in such copies. This
lists those of tonight and later (not cancelled; over only if seated or a no-show) that the desk
does not hold now, and enters one again on a word from staff: a new booking intent with
the **same id and reference** the guest was given, judged as any new booking (its
tables free as far as this desk knows, the venue's deposit priced afresh), through the
same path as a refused new booking sent again (``refusal_retry.created_again``).

What the copy said that cannot be carried over is said beside it, not carried: a
deposit paid, held or refunded (the server lost its record; a payment through the
guest's link is found at Stripe by the server once the booking is here again), a party
already seated (entered again as booked; seat it again).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.customer import Customer
from app.domain.errors import DomainError
from app.domain.money import format_pence
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.backup import backup
from app.models.uow import Store
from app.protocol import CreateBookingArgs, meaning
from app.protocol.codec import customer_data
from app.services.common import Clock, seating_words, wire
from app.services.refusal_retry import created_again

S = BookingStatus
# Still to come in the copy: worth entering again.
LIVE = (S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED)
# Over tonight in the copy, and the night's covers and no-shows count them: entered again
# and then given the ending the copy has (app.services.as_kept).
ENDED = (S.COMPLETED, S.NO_SHOW)
ENTERABLE = LIVE + ENDED
# A booking's details as staff edit them (``BookingEdits.edit_details``), but for the
# party's size, which is said on its own.
DETAILS = ("special_requests", "occasion", "notes", "package_id")
# What a booking is entered again as: booked, then seated or ended as the copy has it.
_ENTERED_AS = {S.SEATED: S.CONFIRMED, S.COMPLETED: S.CONFIRMED, S.NO_SHOW: S.CONFIRMED}
# A deposit whose money moved: the server lost its record, Stripe has the payment.
_MONEY_MOVED = frozenset(
    {
        DepositState.PAID,
        DepositState.HELD,
        DepositState.CARD_SAVED,
        DepositState.CLAIMED,
        DepositState.REFUNDED,
        DepositState.REFUND_FAILED,
    }
)


# What a guest's payment link makes of a deposit: the server takes it back from Stripe
# after a restore (server.payments.found; docs/operations.md).
_THROUGH_A_LINK = frozenset({DepositState.PAID, DepositState.HELD, DepositState.CARD_SAVED})


class NotYet(DomainError):
    """The desk has not taken the server's night yet, so it cannot tell what was lost."""


@dataclass(frozen=True, slots=True)
class LostBooking:
    booking_id: str
    reference: str
    name: str
    when: str
    party_size: int
    seating: str
    status: str
    # What the copy held that is not carried over ("deposit £80.00 paid: …"), or "".
    caution: str


@dataclass(frozen=True, slots=True)
class ChangedBooking:
    """A booking both hold that the copy has otherwise: a change the server lost, or one
    made since at another desk; staff judge which is right."""

    booking_id: str
    reference: str
    name: str
    when: str
    # What differs, each as "cancelled in the copy, confirmed here".
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LostNight:
    copy: Path | None
    bookings: tuple[LostBooking, ...]
    changed: tuple[ChangedBooking, ...] = ()


def kept_copies(db_path: Path) -> list[Path]:
    """The copies repairs kept beside the desk's file, newest first (by their stamp)."""
    found = [
        p
        for kind in ("retake", "rebuild")
        for p in db_path.parent.glob(f"{db_path.stem}.before-{kind}-*{db_path.suffix}")
    ]
    return sorted(found, key=lambda p: p.name.rsplit("-", 1)[-1], reverse=True)


class LostBookings:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def kept(self) -> bool:
        """Whether a repair kept a copy beside this desk's file."""
        return bool(kept_copies(self.store.path))

    def reminder(self) -> str | None:
        """What to tell staff when the desk is up to date, if bookings of tonight and later are
        only in the kept copy (None: nothing, or the desk cannot tell yet)."""
        try:
            night = self.lost()
        except NotYet:
            return None
        if not night.bookings:
            return None
        return (
            f"{len(night.bookings)} booking(s) of tonight and later are only in the copy kept when "
            "this desk was put right: Desk → Bookings the server lost… enters them again."
        )

    def lost(self) -> LostNight:
        """What the newest kept copy holds of tonight and later that this desk does not."""
        copies = kept_copies(self.store.path)
        if not copies:
            return LostNight(None, ())
        with self.store.read() as reader:
            if not reader.device.has_pulled():
                raise NotYet(
                    "This desk has not taken the server's night yet, so it cannot tell "
                    "what the server lost: wait until the badge says it is up to date."
                )
            rules = reader.venue.get()
        now = self.clock()
        # Read (and, if older, migrated) outside the desk's own transaction.
        kept, copy_rules = _read_copy(copies[0], rules.venue.service_day(now))
        with self.store.read() as reader:
            here = {b.id: reader.bookings.get(b.id) for b, _ in kept}
        changed = tuple(
            ChangedBooking(
                b.id,
                format_reference(b.reference),
                c.name if c is not None else "",
                rules.venue.show_day_time(now_b.start),
                found,
            )
            for b, c in kept
            if (now_b := here.get(b.id)) is not None
            and (found := differences((copy_rules, rules), b, now_b))
        )
        shown = tuple(
            LostBooking(
                b.id,
                format_reference(b.reference),
                c.name if c is not None else "",
                rules.venue.show_day_time(b.start),
                b.party_size,
                # The copy's own plan: a table added after the backup is lost with it.
                seating_words(copy_rules, b) if b.table_ids else "no table yet",
                b.status.value,
                _caution(b),
            )
            for b, c in kept
            if here[b.id] is None and _worth_entering(b, now)
        )
        return LostNight(copies[0], shown, changed)

    def enter_again(self, staff: Staff, booking_id: str) -> str:
        """Enter again, as a new booking with its id and reference, a booking of the
        newest kept copy; what was done, in words. Raises ``DomainError`` with nothing
        changed (the tables are taken, the server has it again, …)."""
        booking, customer = kept_booking(self.store.path, booking_id, ENTERABLE)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            if uow.bookings.get(booking_id) is not None:
                raise DomainError(
                    f"Booking {format_reference(booking.reference)} is on this desk already."
                )
            rules = uow.venue.get()
            check_tables_known(rules, booking)
            known = uow.customers.get(booking.customer_id)
            args = _asked(booking, known or customer, past=rules.venue.is_past(booking.start, now))
            if known is None and customer is not None:
                # A guest first seen after the backup: lost with the booking, kept in the copy.
                uow.customers.save(customer, rules.venue.id, now)
            made = created_again(uow, rules, staff, now, booking_id, args, None)
            uow.commit()
        where = f" at {seating_words(rules, made)}" if made.table_ids else ""
        return (
            f"Entered again: booking {format_reference(made.reference)} "
            f"({rules.venue.show_day_time(made.start)}{where}). It waits for the server's answer."
        )


def _asked(booking: Booking, customer: Customer | None, *, past: bool) -> CreateBookingArgs:
    if customer is None:
        raise DomainError("The kept copy has no guest for that booking; enter it by hand.")
    asked = meaning.asking_for(booking)
    asked.update(
        customer=customer_data(customer),
        table_ids=list(booking.table_ids),
        status=_ENTERED_AS.get(booking.status, booking.status),
        recorded_past=past,
    )
    return wire(CreateBookingArgs, **asked)


def check_tables_known(rules: VenueRules, booking: Booking) -> None:
    """Refuse, in words, a booking of the copy on a table this desk's plan lacks."""
    known = {t.id for t in rules.plan.tables}
    if any(t not in known for t in booking.table_ids):
        raise DomainError(
            f"Booking {format_reference(booking.reference)} is on a table the server's floor "
            "plan does not have (added after its backup?): add the table again, or book the "
            "party by hand at another table."
        )


def differences(
    rules: tuple[VenueRules, VenueRules], kept: Booking, now: Booking
) -> tuple[str, ...]:
    """What staff would notice differs between the copy's booking and this desk's; each
    read on its own plan (``rules``: the copy's, then this desk's)."""
    copy_rules, here = rules
    venue = here.venue
    pairs = (
        (kept.status.value, now.status.value),
        (venue.show_day_time(kept.start), venue.show_day_time(now.start)),
        (f"{kept.duration_minutes} min", f"{now.duration_minutes} min"),
        (seating_words(copy_rules, kept), seating_words(here, now)),
        (f"party of {kept.party_size}", f"party of {now.party_size}"),
        (_deposit(kept), _deposit(now)),
    )
    found = [f"{was} in the copy, {is_} here" for was, is_ in pairs if was != is_]
    if any(getattr(kept, d) != getattr(now, d) for d in DETAILS):
        found.append("its occasion, requests, notes or package differ")
    return tuple(found)


def _deposit(b: Booking) -> str:
    state = b.deposit_state.value.replace("_", " ")
    return f"deposit {format_pence(b.deposit_pence)} {state}" if b.deposit_pence else state


def _caution(b: Booking) -> str:
    notes = []
    if b.deposit_state in _MONEY_MOVED:
        said = f"deposit {format_pence(b.deposit_pence)} {b.deposit_state.value.replace('_', ' ')}"
        notes.append(
            f"{said} in the copy: not carried over. Through its link, the server finds it "
            "at Stripe once the booking is entered again; at the bar, record it again"
            if b.deposit_state in _THROUGH_A_LINK
            else f"{said} in the copy: not carried over, look the payment up in Stripe"
        )
    if b.status in (S.SEATED, *ENDED):
        notes.append(f"{b.status.value.replace('_', '-')} in the copy: booked, then made so")
    return "; ".join(notes)


def _worth_entering(b: Booking, now: datetime) -> bool:
    """Still to come, sitting now, or over with an ending the night's figures count; not
    one cancelled, nor one whose time passed with no one seated."""
    if b.status in ENDED or b.status is S.SEATED:
        return True
    return b.status in LIVE and b.end > now


def _read_copy(copy: Path, day: date) -> tuple[list[tuple[Booking, Customer | None]], VenueRules]:
    """The copy's bookings of ``day`` on, with their guests, and its own venue and plan."""
    with _opened(copy) as store, store.read() as reader:
        bookings = reader.bookings.from_day(day, tuple(BookingStatus))
        guests = reader.customers.many([b.customer_id for b in bookings])
        return [(b, guests.get(b.customer_id)) for b in bookings], reader.venue.get()


def kept_booking(
    db_path: Path, booking_id: str, statuses: tuple[BookingStatus, ...] = tuple(BookingStatus)
) -> tuple[Booking, Customer | None]:
    """A booking as the newest copy kept beside the desk's file has it, with its guest."""
    copies = kept_copies(db_path)
    if not copies:
        raise DomainError("There is no copy kept beside this desk's file.")
    with _opened(copies[0]) as store, store.read() as reader:
        booking = reader.bookings.get(booking_id)
        if booking is None or booking.status not in statuses:
            raise DomainError("That booking is not in the kept copy.")
        return booking, reader.customers.get(booking.customer_id)


@contextmanager
def _opened(copy: Path) -> Iterator[Store]:
    """The kept copy, read through a copy of its own in a temporary folder: the kept
    file is never touched (not even by SQLite's journal files), and one written by an
    older Backroom is brought up to this one's schema there."""
    with tempfile.TemporaryDirectory(prefix="backroom-kept-") as folder:
        readable = Path(folder) / copy.name
        backup(copy, readable, kept=True)
        store = Store(readable, create=False)
        try:
            yield store
        finally:
            store.close()
