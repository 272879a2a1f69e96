"""The conflicts inbox: conflicts synced from the server, and resolving one.

A resolution is itself an intent (``resolve_conflict``), recorded with its audit
event in one transaction like any use case, shown at once on this desk — the
booking as the resolution's one meaning leaves it — and ordered by the server
against whatever another desk decided meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.allocation import SeatingRequest, allocate
from app.domain.booking import Booking
from app.domain.conflicts import Resolution
from app.domain.errors import DomainError, NotFound
from app.domain.permissions import Staff
from app.domain.rules import VenueRules
from app.models.sync_repositories import SyncedConflict
from app.models.uow import Reader, Store
from app.protocol import IntentName, ResolveConflictArgs
from app.services.common import (
    Clock,
    booking_after,
    night_bookings,
    save_and_journal,
    wire,
)

WORDS = {
    Resolution.MOVE: "move ours",
    Resolution.KEEP_MINE: "keep ours",
    Resolution.KEEP_THEIRS: "keep theirs",
    Resolution.WAITLIST: "waitlist ours",
    Resolution.CANCEL: "cancel ours and call the guest",
    Resolution.KEEP_BOTH: "keep both (manager)",
}
KIND_WORDS = {
    "overlap": "Double booking",
    "stale_edit": "Changed on two desks",
    "edit_after_cancel": "Changed after it was cancelled",
    "illegal_move": "Status change not allowed",
    "invalid": "Cannot be seated as booked",
}


@dataclass(frozen=True, slots=True)
class ConflictSide:
    guest: str
    party_size: int
    start: datetime
    tables: str
    desk: str
    staff: str


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: str
    summary: str
    ours: ConflictSide
    theirs: ConflictSide
    # Resolution names the server allows, e.g. ("keep ours", "keep theirs", "waitlist ours").
    resolutions: tuple[str, ...]
    detected_at: datetime | None = None


class ConflictInbox:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def open(self) -> list[ConflictView]:
        """Open conflicts, oldest first; one being resolved here says so."""
        with self.store.read() as reader:
            device_id = reader.device.get().id
            rules = reader.venue.get()
            resolving = reader.outbox.resolving()
            return [
                self._view(reader, rules, device_id, c, c.id in resolving)
                for c in reader.conflicts.open()
            ]

    def open_ids(self) -> list[str]:
        with self.store.read() as reader:
            return [c.id for c in reader.conflicts.open()]

    def allowed(self, conflict_id: str) -> tuple[Resolution, ...]:
        with self.store.read() as reader:
            conflict = reader.conflicts.get(conflict_id)
            return conflict.allowed if conflict is not None else ()

    def resolve(
        self,
        staff: Staff,
        conflict_id: str,
        resolution: Resolution,
        *,
        table_ids: Sequence[str] = (),
        start: datetime | None = None,
        note: str = "",
    ) -> str:
        """Record staff's decision as an intent; the words to show them."""
        now = self.clock()
        with self.store.unit_of_work() as uow:
            conflict = uow.conflicts.get(conflict_id)
            if conflict is None or conflict.state != "open":
                raise NotFound("That conflict is no longer open; another desk resolved it.")
            if conflict_id in uow.outbox.resolving():
                raise DomainError("This conflict is already being resolved on this desk.")
            if resolution not in conflict.allowed:
                allowed = ", ".join(WORDS[a] for a in conflict.allowed)
                raise DomainError(f"This conflict can be resolved by: {allowed}.")
            before = uow.bookings.get(conflict.booking_id)
            if before is None:
                raise NotFound("The booking in this conflict is not on this desk yet; sync first.")
            rules = uow.venue.get()
            if resolution is Resolution.MOVE and not table_ids:
                table_ids = _free_tables(uow, rules, before)
            args = wire(
                ResolveConflictArgs,
                conflict_id=conflict_id,
                resolution=resolution,
                table_ids=list(table_ids) if table_ids else None,
                start=start,
                note=note,
            )
            facts = {conflict.id: conflict.facts}
            after = booking_after(uow, rules, staff, now, before, args, facts.get)
            save_and_journal(
                uow, rules, staff, now, IntentName.RESOLVE_CONFLICT, before, after, args
            )
            uow.commit()
        return f"{WORDS[resolution].capitalize()}: sent to the server."

    def _view(
        self,
        reader: Reader,
        rules: VenueRules,
        device_id: str,
        c: SyncedConflict,
        resolving: bool,
    ) -> ConflictView:
        detail: Mapping[str, Any] = c.detail
        mine = detail.get("mine") if isinstance(detail.get("mine"), Mapping) else None
        theirs = detail.get("theirs") if isinstance(detail.get("theirs"), Mapping) else None
        ours = _side(reader, rules, mine, c.booking_id, c, device_id, ours=True)
        other_id = c.other_booking_id or c.booking_id
        their_side = _side(reader, rules, theirs, other_id, c, device_id, ours=False)
        summary = f"{KIND_WORDS.get(c.kind.value, c.kind.value)}: {detail.get('message', '')}"
        summary = summary.strip()
        if resolving:
            summary = f"Being resolved on this desk… {summary}"
        return ConflictView(
            id=c.id,
            summary=summary,
            ours=ours,
            theirs=their_side,
            resolutions=tuple(WORDS[a] for a in c.allowed),
            detected_at=c.created_at,
        )


def _side(
    reader: Reader,
    rules: VenueRules,
    side: Mapping[str, Any] | None,
    booking_id: str,
    c: SyncedConflict,
    device_id: str,
    *,
    ours: bool,
) -> ConflictSide:
    booking = reader.bookings.get(str((side or {}).get("booking_id", booking_id)))
    guest = ""
    if booking is not None:
        customer = reader.customers.get(booking.customer_id)
        guest = customer.name if customer else ""
    side = side or {}
    tables = side.get("table_ids")
    if tables is None and booking is not None:
        tables = list(booking.table_ids)
    try:
        table_words = rules.plan.numbers(str(t) for t in tables or [])
    except NotFound:
        table_words = ", ".join(str(t) for t in tables or [])
    start = side.get("start")
    when = (
        datetime.fromisoformat(str(start))
        if start
        else (booking.start if booking else c.created_at)
    )
    party = side.get("party_size", booking.party_size if booking else 0)
    desk = "this desk" if c.device_id == device_id else "another desk"
    return ConflictSide(
        guest=guest,
        party_size=int(party or 0),
        start=when,
        tables=table_words,
        desk=desk if ours else "",
        staff=c.staff_name if ours else "",
    )


def _free_tables(reader: Reader, rules: VenueRules, booking: Booking) -> tuple[str, ...]:
    """The best free tables for a conflicted booking at its own time, or a refusal in words."""
    request = SeatingRequest(
        booking.party_size, booking.start, booking.duration_minutes, booking_id=booking.id
    )
    seating = allocate(rules.plan, night_bookings(reader, rules, booking.start), request)
    if seating is None:
        raise DomainError(
            f"No table is free for a party of {booking.party_size} at "
            f"{rules.venue.show_time(booking.start)}; waitlist them or call the guest."
        )
    return seating.table_ids
