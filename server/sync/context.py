"""What a judge of one intent works with, and how it says no.

Every judge reads (taking its row locks), decides with the intent's one meaning
(app.protocol.meaning), then writes. It refuses only before its first write, so
a refusal leaves nothing to undo; a database constraint that still fires at a
write aborts the transaction, and the whole intent is judged again (push.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app import protocol as p
from app.domain.booking import Booking
from app.domain.customer import Customer
from app.domain.erasure import Traces
from app.domain.permissions import Role, Staff
from app.domain.rules import VenueRules
from app.protocol.meaning import Judging
from server.sync.pipeline import Statement


class Rejected(Exception):
    """The intent is refused with this reason; nothing it did is kept."""


class Forgotten(Rejected):
    """The intent writes a guest who asked to be forgotten: refused, and the refusal every
    desk is shown keeps what was asked without anything of them (``traces``)."""

    def __init__(self, reason: str, traces: Traces) -> None:
        super().__init__(reason)
        self.traces = traces


class Conflicted(Exception):
    """The intent is not applied; both sides are kept in a conflict record."""

    def __init__(
        self,
        kind: p.ConflictKind,
        booking_id: uuid.UUID,
        detail: dict[str, Any],
        other_booking_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(detail.get("message", kind.value))
        self.kind = kind
        self.booking_id = booking_id
        self.detail = detail
        self.other_booking_id = other_booking_id


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: p.OutcomeKind
    reason: str | None = None
    conflict_id: uuid.UUID | None = None
    # A refusal's arguments are kept scrubbed of an erased guest (Forgotten).
    scrub: Traces | None = None


APPLIED = Verdict(p.OutcomeKind.APPLIED)
MERGED = Verdict(p.OutcomeKind.MERGED)


@dataclass(slots=True)
class Desk:
    """The pushing desk's row, as locked at the start of the intent's transaction."""

    id: uuid.UUID
    venue_id: uuid.UUID
    last_seq: int
    audit_seq: int
    audit_hash: str
    # The highest role this desk may act for.
    role_ceiling: Role = Role.MANAGER
    # As staff named it when it was registered ("Reception"), shown with its refusals.
    name: str = ""


class Placing(Protocol):
    """What writing a booking's tables needs: a judge's context, or the server acting on
    its own (a guest's "1" to a waitlist offer, server/messages/offer_replies.py)."""

    @property
    def session(self) -> Session: ...

    @property
    def venue_id(self) -> uuid.UUID: ...

    # The venue's rules the change was worked out by, read before its tables were
    # locked (None: read after, so nothing to check).
    @property
    def rules(self) -> VenueRules | None: ...


@dataclass(frozen=True, slots=True)
class ServerActs:
    """The server changing a booking of ``venue_id`` by itself, in ``session``."""

    session: Session
    venue_id: uuid.UUID
    rules: VenueRules | None = None


@dataclass
class IntentContext:
    session: Session
    rules: VenueRules
    device: Desk
    staff: Staff
    now: datetime
    mutation: p.AnyMutation
    judging: Judging
    # The first rows of the statements this intent asked to read with its desk's lock
    # (``Judge.reads``), by name.
    read: dict[str, Any] = field(default_factory=dict)
    # Rows this intent changed, by table: they all get the transaction's version.
    touched: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    # Statements to send with the outcome and COMMIT, after the ORM's own writes.
    writes: list[Statement] = field(default_factory=list)
    # The new rows this intent inserts (``store.insert(..., stamped=True)``): written by
    # the outcome statement itself, after ``writes``, each stamped with the version as
    # it goes in. Never also touched: a row inserted and then stamped would be written twice.
    created: list[Statement] = field(default_factory=list)
    # Whether this server can take payments (a Stripe key is configured).
    payments: bool = False
    # Where guests reach this server (a payment link's short address, server.payments.short).
    public_url: str = ""
    # The bookings this intent changed, by id: as it found them (None: new) and as it
    # leaves them, for what the change tells the guest (server.sync.guest_messages).
    changed: dict[str, tuple[Booking | None, Booking]] = field(default_factory=dict)
    # Guests the intent already knows (a new booking's), so none is read again.
    guests: dict[str, Customer] = field(default_factory=dict)

    @property
    def venue_id(self) -> uuid.UUID:
        return self.device.venue_id

    def touch(self, *rows: Any) -> None:
        """ORM rows this intent changed (flushed before the version is stamped)."""
        for row in rows:
            self.touch_id(row.__tablename__, row.id)

    def touch_id(self, table: str, row_id: uuid.UUID) -> None:
        self.touched.setdefault(table, set()).add(row_id)

    def changed_booking(self, before: Booking | None, after: Booking) -> None:
        """``after`` is what this intent leaves of a booking it found as ``before``."""
        first = self.changed.get(after.id)
        self.changed[after.id] = (first[0] if first else before, after)

    def require(self, *actions: Any) -> None:
        """The staff member behind the intent may take these actions (else refused)."""
        for action in actions:
            self.staff.require(action)
