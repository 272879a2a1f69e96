"""The booking and its status machine."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from enum import Enum, StrEnum

from app.domain.errors import IllegalTransition, InvalidInput
from app.domain.limits import MIN_DURATION, check_priority, check_spend


class BookingStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    SEATED = "seated"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    WAITLISTED = "waitlisted"
    # Set only by sync: the server kept this booking but it holds no table
    # until staff resolve the conflict.
    CONFLICT = "conflict"


S = BookingStatus
TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.CANCELLED, S.CONFLICT}),
    S.CONFIRMED: frozenset({S.SEATED, S.CANCELLED, S.NO_SHOW, S.CONFLICT}),
    S.SEATED: frozenset({S.COMPLETED}),
    S.WAITLISTED: frozenset({S.PENDING, S.CONFIRMED, S.CANCELLED}),
    # Resolving a conflict puts the booking back on a table, on the waitlist,
    # or cancels it (and the guest is called).
    S.CONFLICT: frozenset({S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
}
# Statuses in which a booking holds its tables.
ACTIVE = frozenset({S.PENDING, S.CONFIRMED, S.SEATED})
FINISHED = frozenset({S.COMPLETED, S.CANCELLED, S.NO_SHOW})


class DepositState(StrEnum):
    NOT_REQUIRED = "not_required"
    REQUIRED = "required"
    # A payment link was asked for (app.domain.deposit_links); still owed until paid.
    REQUESTED = "requested"
    PAID = "paid"
    # The guest's card is authorised for the deposit, captured only on a no-show
    # (app.domain.deposit_modes: bookings up to 6 days ahead).
    HELD = "held"
    # The guest's card is saved to be charged off-session on a no-show (further ahead).
    CARD_SAVED = "card_saved"
    # A no-show's hold captured or saved card charged: the venue kept the deposit.
    CLAIMED = "claimed"
    # A hold let go at the bank (cancelled in the free-cancellation window): nothing taken.
    RELEASED = "released"
    WAIVED = "waived"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"


# A deposit in one of these no longer stands between a booking and "confirmed": paid,
# held or secured by a saved card, waived — or given back by a manager's choice.
SETTLED = frozenset(
    {
        DepositState.NOT_REQUIRED,
        DepositState.PAID,
        DepositState.HELD,
        DepositState.CARD_SAVED,
        DepositState.WAIVED,
        DepositState.REFUNDED,
    }
)
# The deposit is still the venue's to work out from its policy (nothing has been paid).
PRICED_BY_POLICY = frozenset({DepositState.NOT_REQUIRED, DepositState.REQUIRED})


class Source(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class Booking:
    id: str
    venue_id: str
    reference: str
    customer_id: str
    party_size: int
    start: datetime
    duration_minutes: int
    status: BookingStatus
    created_at: datetime
    updated_at: datetime
    table_ids: tuple[str, ...] = ()
    combined: bool = False
    special_requests: str = ""
    occasion: str = ""
    notes: str = ""
    priority_score: int = 0
    deposit_state: DepositState = DepositState.NOT_REQUIRED
    deposit_pence: int = 0
    source: Source = Source.PHONE
    version: int = 0
    waitlisted_at: datetime | None = None
    # The version of the venue's deposit policy that priced ``deposit_pence``
    # (app.domain.deposits.price); 0 for a booking priced before policies had versions.
    deposit_policy_version: int = 0
    # What the party spent, in pence, as staff recorded it from the till (None: not
    # recorded); set against the minimum spend of its tables (app.domain.spend).
    spend_pence: int | None = None
    # The package the party pre-ordered (app.domain.packages), by its id in the venue's
    # price list, and what it was sold for in pence: kept as sold, whatever the list says
    # later. None and 0: no package.
    package_id: str | None = None
    package_pence: int = 0

    def __post_init__(self) -> None:
        # The invariants of any stored booking; what a venue allows is checked by the
        # rules that make bookings (app.domain.kernel), against its plan and hours.
        if self.party_size < 1:
            raise InvalidInput("party_size", "A party needs at least one guest.")
        if self.duration_minutes < MIN_DURATION:
            raise InvalidInput("duration", f"A booking lasts at least {MIN_DURATION} minutes.")
        check_priority(self.priority_score)
        if self.deposit_pence < 0:
            raise InvalidInput("deposit", "A deposit cannot be negative.")
        if self.deposit_policy_version < 0:
            raise InvalidInput("deposit", "A deposit policy version cannot be negative.")
        if self.spend_pence is not None:
            check_spend(self.spend_pence)
        if self.package_pence < 0 or (self.package_id is None and self.package_pence):
            raise InvalidInput("package", "A package's price is for a package, and not negative.")

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def holds_tables(self) -> bool:
        return self.status in ACTIVE and bool(self.table_ids)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end

    @property
    def deposit_settled(self) -> bool:
        return self.deposit_state in SETTLED

    def moved_to(self, status: BookingStatus, at: datetime) -> Booking:
        """The same booking in ``status``; an illegal move raises and names it.

        Going on the waitlist gives up the tables and starts the wait at ``at``.
        """
        if status not in TRANSITIONS[self.status]:
            raise IllegalTransition(self.reference, self.status.value, status.value)
        changes: dict[str, object] = {"status": status, "updated_at": at}
        if status is S.WAITLISTED:
            changes |= {"table_ids": (), "combined": False, "waitlisted_at": at}
        return replace(self, **changes)


# Every field of a booking, in one place: the wire's BookingRow, the desk's mirror,
# the server's row and the audit snapshot are all checked against or made from it.
BOOKING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Booking))


def field_json(value: object) -> object:
    """A booking field's value as JSON: ids and enums as text, instants in ISO 8601."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def booking_snapshot(booking: Booking) -> dict[str, object]:
    """JSON-ready fields of a booking, for audit before/after and conflict details."""
    return {name: field_json(getattr(booking, name)) for name in BOOKING_FIELDS}


# Why a booking was cancelled, as staff choose it (the intent carries the words). A party
# that simply did not come is a no-show, its own status, not a cancellation.
CANCEL_REASONS: tuple[str, ...] = ("guest cancelled", "venue cancelled", "duplicate booking")
