"""The model's rows: bookings, guests and conflict records, as small frozen dataclasses.

The fields are the server's columns (docs/architecture.md, "Sync protocol": every
synced row carries id, venue_id, version and updated_at). Instants the server
stamps are ``Stamp``s: the server's time when the intent that set them was
judged, carrying that intent's id and every time it may have been judged at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PENDING, CONFIRMED, SEATED = "pending", "confirmed", "seated"
COMPLETED, CANCELLED, NO_SHOW = "completed", "cancelled", "no_show"
WAITLISTED, CONFLICT = "waitlisted", "conflict"
# Only these hold their tables (a booking_tables row per table over the stay).
HOLDING = frozenset({PENDING, CONFIRMED, SEATED})
CLOSED = frozenset({COMPLETED, NO_SHOW})
LEGAL: dict[str, frozenset[str]] = {
    PENDING: frozenset({CONFIRMED, CANCELLED, CONFLICT}),
    CONFIRMED: frozenset({SEATED, CANCELLED, NO_SHOW, CONFLICT}),
    SEATED: frozenset({COMPLETED}),
    WAITLISTED: frozenset({PENDING, CONFIRMED, CANCELLED}),
    CONFLICT: frozenset({PENDING, CONFIRMED, SEATED, WAITLISTED, CANCELLED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
    NO_SHOW: frozenset(),
}
# A deposit in these no longer stands between a booking and "confirmed".
SETTLED = frozenset({"not_required", "paid", "waived"})
# Nothing was paid: the venue's policy still sets the amount.
PRICED = frozenset({"not_required", "required"})
ALLOWED: dict[str, tuple[str, ...]] = {
    "overlap": ("move", "keep_mine", "waitlist", "cancel", "keep_both"),
    "stale_edit": ("keep_mine", "keep_theirs"),
    "edit_after_cancel": ("keep_theirs",),
    "illegal_move": ("keep_theirs",),
    "invalid": ("move", "waitlist", "cancel", "keep_both"),
}


class Stamp(datetime):
    """The server's clock when intent ``by`` was judged; ``candidates`` are all the
    times it may have been judged at (one unless a push failed after committing)."""

    by: str
    candidates: frozenset[datetime]

    @classmethod
    def of(cls, at: datetime, by: str, candidates: frozenset[datetime]) -> Stamp:
        stamp = cls(
            at.year, at.month, at.day, at.hour, at.minute, at.second, at.microsecond, at.tzinfo
        )
        stamp.by, stamp.candidates = by, candidates
        return stamp

    def __reduce_ex__(self, protocol: object) -> tuple:
        plain = datetime(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.microsecond,
            self.tzinfo,
        )
        return Stamp.of, (plain, self.by, self.candidates)


@dataclass(frozen=True)
class Booking:
    id: str
    venue_id: str
    reference: str
    customer_id: str
    party_size: int
    start: datetime
    duration_minutes: int
    status: str
    table_ids: tuple[str, ...]
    combined: bool
    special_requests: str
    occasion: str
    notes: str
    priority_score: int
    deposit_state: str
    deposit_pence: int
    source: str
    waitlisted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = 0
    # The deposit policy version that priced deposit_pence (0: never priced).
    deposit_policy_version: int = 0
    # What the party spent, from the till (None: not recorded).
    spend_pence: int | None = None
    # The package pre-ordered (None: none) and what it was sold for.
    package_id: str | None = None
    package_pence: int = 0

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def holds(self) -> bool:
        return self.status in HOLDING and bool(self.table_ids)

    @property
    def settled(self) -> bool:
        return self.deposit_state in SETTLED

    def shares_time_and_table(self, other: Booking) -> bool:
        return (
            bool(set(self.table_ids) & set(other.table_ids))
            and self.start < other.end
            and other.start < self.end
        )


@dataclass(frozen=True)
class Customer:
    id: str
    venue_id: str
    name: str
    phone: str
    email: str | None
    vip: bool
    tags: tuple[str, ...]
    notes: str
    consent: tuple[dict[str, object], ...]
    updated_at: datetime
    version: int = 0
    # The simulator never erases a guest (an admin's request, done online): none appears.
    erased_at: datetime | None = None


@dataclass(frozen=True)
class Conflict:
    """A conflict record, known to the model by the intent that made it and its booking."""

    mutation_id: str
    booking_id: str
    kind: str
    other_booking_id: str | None
    device_id: str
    staff_id: str
    staff_name: str
    created_at: datetime
    # What resolving needs: the status the booking asked for, the refused intent.
    wanted_status: str | None = None
    intent: tuple[str, dict] | None = None
    state: str = "open"
    resolution: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolver_name: str | None = None
    note: str | None = None
    version: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.mutation_id, self.booking_id

    @property
    def allowed(self) -> tuple[str, ...]:
        return ALLOWED[self.kind]
