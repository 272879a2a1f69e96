"""The booking and its status machine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.errors import IllegalTransition, InvalidInput


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
    PAID = "paid"
    WAIVED = "waived"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"


class Source(StrEnum):
    PHONE = "phone"
    WALK_IN = "walk_in"
    WEB = "web"


MAX_PRIORITY = 1000


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

    def __post_init__(self) -> None:
        if self.party_size < 1:
            raise InvalidInput("party_size", "A party needs at least one guest.")
        if self.duration_minutes < 15:
            raise InvalidInput("duration", "A booking lasts at least 15 minutes.")
        if not 0 <= self.priority_score <= MAX_PRIORITY:
            raise InvalidInput("priority", f"Priority must be 0–{MAX_PRIORITY}.")
        if self.deposit_pence < 0:
            raise InvalidInput("deposit", "A deposit cannot be negative.")

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def holds_tables(self) -> bool:
        return self.status in ACTIVE and bool(self.table_ids)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end

    def moved_to(self, status: BookingStatus, at: datetime) -> Booking:
        """The same booking in ``status``; an illegal move raises and names it."""
        if status not in TRANSITIONS[self.status]:
            raise IllegalTransition(self.reference, self.status.value, status.value)
        changes: dict[str, object] = {"status": status, "updated_at": at}
        if status is S.WAITLISTED:
            changes["table_ids"] = ()
            changes["combined"] = False
        return replace(self, **changes)


def check_party_size(party_size: int, largest: int) -> None:
    if party_size < 1:
        raise InvalidInput("party_size", "A party needs at least one guest.")
    if party_size > largest:
        raise InvalidInput(
            "party_size",
            f"A party of {party_size} is more than the venue can seat at once (largest {largest}).",
        )


def check_duration(minutes: int) -> None:
    if not 15 <= minutes <= 12 * 60:
        raise InvalidInput("duration", "A booking lasts between 15 minutes and 12 hours.")


def booking_snapshot(booking: Booking) -> dict[str, object]:
    """JSON-ready fields of a booking, for audit before/after and intents."""
    return {
        "id": booking.id,
        "reference": booking.reference,
        "customer_id": booking.customer_id,
        "party_size": booking.party_size,
        "start": booking.start.isoformat(),
        "duration_minutes": booking.duration_minutes,
        "status": booking.status.value,
        "table_ids": list(booking.table_ids),
        "combined": booking.combined,
        "special_requests": booking.special_requests,
        "occasion": booking.occasion,
        "notes": booking.notes,
        "priority_score": booking.priority_score,
        "deposit_state": booking.deposit_state.value,
        "deposit_pence": booking.deposit_pence,
        "source": booking.source.value,
        "version": booking.version,
    }
