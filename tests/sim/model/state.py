"""The model's state, one intent as saved, and how a judgement is said.

A judge reads the state, decides, and returns a ``Verdict`` holding the rows
the intent writes; nothing changes until the replay commits it (at the version
the server gave the intent). A judge says no by raising ``Refused`` with every
reason that holds, or ``Failure`` from a rule (docs/architecture.md, "Sync
protocol", 6: conflicts are kept, refusals carry a reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.sim.model.rows import Booking, Conflict, Customer, Stamp
from tests.sim.model.venue import Deposits, Plan, Venue

# A rejection reason: a key and what it is about, e.g. ("illegal_move", "seated", "cancelled").
Reason = tuple[Any, ...]


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str
    active: bool
    venue_id: str


@dataclass(frozen=True)
class Intent:
    """An intent exactly as a desk saved it (its outbox body), staff id as the server knew it."""

    mutation_id: str
    device_id: str
    device_seq: int
    name: str
    entity_id: str
    base_version: int
    previous: dict[str, Any]
    staff_id: str
    device_time: datetime
    args: dict[str, Any]
    audit: list[dict[str, Any]]

    @classmethod
    def from_body(cls, body: dict[str, Any], aliases: dict[str, str]) -> Intent:
        staff = str(body["staff_id"])
        return cls(
            mutation_id=str(body["mutation_id"]),
            device_id=str(body["device_id"]),
            device_seq=int(body["device_seq"]),
            name=body["name"],
            entity_id=str(body["entity_id"]),
            base_version=int(body.get("base_version", 0)),
            previous=dict(body.get("previous") or {}),
            staff_id=aliases.get(staff, staff),
            device_time=instant(body["device_time"]),
            args=dict(body.get("args") or {}),
            audit=list(body.get("audit") or []),
        )


@dataclass
class State:
    venue: Venue
    plan: Plan
    staff: dict[str, StaffMember]
    bookings: dict[str, Booking] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    conflicts: dict[tuple[str, str], Conflict] = field(default_factory=dict)
    # Each desk's audit chain head the server accepted: (seq, hash).
    audit: dict[str, tuple[int, str]] = field(default_factory=dict)
    # The version each applied (or merged) cancel made, by its mutation id: an undo names
    # the cancel it takes back, and applies only while the booking is still at it.
    cancels: dict[str, int] = field(default_factory=dict)
    # Deposit money and waivers recorded at the bar, by entry id: the server's
    # deposit_ledger rows, every column.
    ledger: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Payment links asked for, by request id (the intent's mutation id): the server's
    # deposit_requests rows, every column but those Stripe or chance makes
    # (tests/sim/columns.py).
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)

    def holding(self, b: Booking, besides: frozenset[str] = frozenset()) -> list[Booking]:
        """Other bookings holding one of ``b``'s tables during its stay, in id order."""
        return sorted(
            (
                o
                for o in self.bookings.values()
                if o.id != b.id and o.id not in besides and o.holds and o.shares_time_and_table(b)
            ),
            key=lambda o: o.id,
        )


@dataclass
class Writes:
    bookings: dict[str, Booking] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    conflicts: dict[tuple[str, str], Conflict] = field(default_factory=dict)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)
    combinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A manager's new deposits and packages, in force from this intent on.
    deposits: Deposits | None = None
    ledger: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Verdict:
    outcome: str
    reasons: tuple[Reason, ...] = ()
    # The conflict a "conflict" outcome names.
    conflict: Conflict | None = None
    writes: Writes = field(default_factory=Writes)


class Refused(Exception):
    def __init__(self, *reasons: Reason) -> None:
        super().__init__(reasons)
        self.reasons = reasons


class Failure(Exception):
    """A rule refused the change: ``kind`` is "reject", "invalid" (the tables cannot seat
    the party) or "after_cancel"; ``reasons`` every rejection reason found."""

    def __init__(self, kind: str, reasons: tuple[Reason, ...] = ()) -> None:
        super().__init__(kind, reasons)
        self.kind = kind
        self.reasons = reasons


class Checks:
    """A rule's checks in the order it applies them: the first failure decides the
    outcome, and every rejection reason found is one the server may give."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, Reason | None]] = []

    def reject(self, failed: bool, *reason: Any) -> bool:
        if failed:
            self.failures.append(("reject", reason))
        return failed

    def unseatable(self, failed: bool) -> None:
        if failed:
            self.failures.append(("invalid", None))

    def settle(self) -> None:
        if self.failures:
            reasons = tuple(r for kind, r in self.failures if r is not None)
            raise Failure(self.failures[0][0], reasons)


@dataclass
class Ctx:
    """What judging one intent works with."""

    state: State
    intent: Intent
    at: Stamp
    staff: StaffMember
    writes: Writes = field(default_factory=Writes)

    def conflict(
        self,
        kind: str,
        booking_id: str,
        other: str | None = None,
        wanted: str | None = None,
        intent: tuple[str, dict[str, Any]] | None = None,
    ) -> Conflict:
        made = Conflict(
            mutation_id=self.intent.mutation_id,
            booking_id=booking_id,
            kind=kind,
            other_booking_id=other,
            device_id=self.intent.device_id,
            staff_id=self.staff.id,
            staff_name=self.staff.name,
            created_at=self.at,
            wanted_status=wanted,
            intent=intent,
        )
        self.writes.conflicts[made.key] = made
        return made
