"""What the night review is worked out from: each booking of the night and when, by its
audit trail, it sat, left or was cancelled; the night's offers and conflicts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, Source
from app.domain.deposit_ledger import LedgerEntry
from app.domain.deposits import DepositPolicy, cancelled_late
from app.domain.floorplan import FloorPlan
from app.domain.venue import Venue

S = BookingStatus
# The comparison: the same weekday over this many weeks before the night.
HISTORY_WEEKS = 12
SAT = frozenset({S.SEATED, S.COMPLETED})
# The statuses whose first time in a booking's audit trail the review uses (visit_from_trail).
TRAIL_STATUSES = frozenset({S.SEATED.value, S.COMPLETED.value, S.CANCELLED.value})


class Came(StrEnum):
    """How a party that sat came to the venue: its covers are counted under one of these."""

    BOOKED = "booked"
    WALK_IN = "walk-in"
    WAITLIST = "waitlist"


def came(b: Booking) -> Came:
    if b.source is Source.WALK_IN:
        return Came.WALK_IN
    if b.waitlisted_at is not None:
        return Came.WAITLIST
    return Came.BOOKED


@dataclass(frozen=True, slots=True)
class Visit:
    """A booking of the night and when, by the audit trail, it sat, left or was cancelled."""

    booking: Booking
    guest: str = ""
    seated_at: datetime | None = None
    left_at: datetime | None = None
    cancelled_at: datetime | None = None
    # Cancelled after the free window of the policy it was priced under (cancelled_late).
    late_cancel: bool = False

    @property
    def turn_minutes(self) -> int | None:
        if self.booking.status is not S.COMPLETED or not (self.seated_at and self.left_at):
            return None
        return max(0, int((self.left_at - self.seated_at).total_seconds() // 60))


def visit_from_trail(
    b: Booking,
    guest: str,
    trail: Iterable[tuple[datetime, str | None]],
    policy: DepositPolicy,
) -> Visit:
    """A visit from the booking's audit trail: (when, status after) in time order;
    ``policy``: the deposit policy version ``b`` was priced under (its free window says
    whether a cancellation was late).

    A step this desk's log does not hold (another desk seated the party) falls back to
    the booking itself: seated at its booked start, finished or cancelled at its last change.
    """
    first: dict[str, datetime] = {}
    for at, status in trail:
        if status is not None and status not in first:
            first[status] = at
    seated = first.get(S.SEATED.value)
    if seated is None and b.status in SAT:
        seated = b.start
    left = first.get(S.COMPLETED.value)
    if left is None and b.status is S.COMPLETED:
        left = b.updated_at
    cancelled = first.get(S.CANCELLED.value)
    if cancelled is None and b.status is S.CANCELLED:
        cancelled = b.updated_at
    return Visit(b, guest, seated, left, cancelled, cancelled_late(policy, b, cancelled))


@dataclass(frozen=True, slots=True)
class OfferFact:
    booking_id: str
    # accepted, declined, expired, withdrawn; None while open.
    outcome: str | None


@dataclass(frozen=True, slots=True)
class ConflictFact:
    booking_id: str
    kind: str
    state: str


@dataclass(frozen=True, slots=True)
class NightFacts:
    day: date
    venue: Venue
    plan: FloorPlan
    visits: tuple[Visit, ...]
    ledger: tuple[LedgerEntry, ...] = ()
    offers: tuple[OfferFact, ...] = ()
    conflicts: tuple[ConflictFact, ...] = ()
