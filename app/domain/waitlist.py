"""The waitlist's offer machine: one offer per freed table, held, then passed on.

A pure state machine. Every call takes the current time from the caller (no
clock of its own, no threads) and returns the new state with the domain events
that happened, which a use case turns into holds and notifications:

* ``table_freed`` — a table or join came free (cancel, no-show, early finish,
  re-arrangement). The highest-priority entry that fits is offered it and the
  table is held for ``hold_minutes``. Entries above it that did not fit are
  written to the fairness log with the reason.
* ``decline`` / ``tick`` (expiry) — the offer passes to the next entry at once.
* ``accept`` — the entry leaves the list; the use case seats the booking.
* ``refit`` — a guest whose party changed so that the offered table no longer
  fits them (or a VIP table, a guest no longer a VIP) loses the offer to the next.
* ``step_aside`` — another desk is offering some guests a table (its server hold
  names them): this desk's offers to them pass on, and it offers them nothing
  until that ends, so a guest is never offered two tables at once.

Invariants (property-tested): a freed table has at most one open offer, an entry
holds at most one offer, and a freed table is left unoffered only when no
remaining entry fits it — so the list never promotes nobody, nor everybody.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.errors import DomainError

DEFAULT_HOLD_MINUTES = 10


@dataclass(frozen=True, slots=True)
class Entry:
    booking_id: str
    party_size: int
    duration_minutes: int
    priority: int
    waitlisted_at: datetime
    vip: bool = False
    # When the guest wants to sit; None (or a time already past) means as soon as possible.
    start: datetime | None = None


@dataclass(frozen=True, slots=True)
class FreedTable:
    """Tables free from ``start`` until ``until`` (None: until closing)."""

    id: str
    table_ids: tuple[str, ...]
    min_party: int
    max_party: int
    start: datetime
    until: datetime | None = None
    vip: bool = False
    why: str = "freed"


def _before(at: datetime, until: datetime | None) -> bool:
    """``at`` is before ``until`` (None: closing, after everything)."""
    return until is None or at < until


class SkipReason(StrEnum):
    TOO_BIG = "party too big for the freed table"
    TOO_SMALL = "party below the freed table's minimum"
    TOO_SHORT = "the freed table is not free long enough"
    VIP_ONLY = "the freed table is for VIP guests"
    HOLDING_OFFER = "already holding another offer"
    OFFERED_ELSEWHERE = "offered a table on another desk"
    DECLINED = "declined"
    EXPIRED = "did not answer in time"


@dataclass(frozen=True, slots=True)
class Skip:
    booking_id: str
    freed_id: str
    reason: SkipReason
    at: datetime


@dataclass(frozen=True, slots=True)
class Offer:
    freed: FreedTable
    booking_id: str
    offered_at: datetime
    expires_at: datetime

    @property
    def id(self) -> str:
        return f"{self.freed.id}:{self.booking_id}"


class Withdrawal(StrEnum):
    """Why an open offer was taken back from under the guest (staff may have called them)."""

    TAKEN = "the table was taken"
    ELSEWHERE = "another desk is offering the guest a table"
    UNFIT = "the guest's party no longer fits the table"


class EventKind(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    UNCLAIMED = "unclaimed"


@dataclass(frozen=True, slots=True)
class WaitlistEvent:
    """``OFFERED`` holds the table and tells the guest; ``UNCLAIMED``: nobody fits it."""

    kind: EventKind
    at: datetime
    freed: FreedTable
    booking_id: str | None = None
    offer: Offer | None = None
    # Why an offer ended without the guest's answer, where staff should hear of it.
    why: Withdrawal | None = None


class OfferNotOpen(DomainError):
    """Accepting or declining an offer that is no longer open."""


Step = tuple["Waitlist", tuple[WaitlistEvent, ...]]


def seat_from(entry: Entry, freed: FreedTable, now: datetime) -> datetime:
    """When the party would sit down at the freed table: not before it is free, nor before
    the guest wants to come, nor in the past."""
    return max(now, freed.start, entry.start or now)


def skip_reason(entry: Entry, freed: FreedTable, now: datetime) -> SkipReason | None:
    if freed.vip and not entry.vip:
        return SkipReason.VIP_ONLY
    if entry.party_size > freed.max_party:
        return SkipReason.TOO_BIG
    if entry.party_size < freed.min_party:
        return SkipReason.TOO_SMALL
    if freed.until is not None:
        begins = seat_from(entry, freed, now)
        if begins + timedelta(minutes=entry.duration_minutes) > freed.until:
            return SkipReason.TOO_SHORT
    return None


@dataclass(frozen=True, slots=True)
class Waitlist:
    entries: tuple[Entry, ...] = ()
    offers: tuple[Offer, ...] = ()
    # Freed tables nobody on the list fits yet; a new entry may take one.
    unclaimed: tuple[FreedTable, ...] = ()
    # (freed table id, booking id) pairs that declined or let the offer expire.
    passed: frozenset[tuple[str, str]] = frozenset()
    log: tuple[Skip, ...] = ()
    hold_minutes: int = DEFAULT_HOLD_MINUTES
    # Guests another desk is offering a table now, as its live server holds name them.
    elsewhere: frozenset[str] = frozenset()

    def ranked(self) -> tuple[Entry, ...]:
        """Highest priority first; the longer wait goes first on a tie."""
        return tuple(
            sorted(self.entries, key=lambda e: (-e.priority, e.waitlisted_at, e.booking_id))
        )

    def offer_for(self, booking_id: str) -> Offer | None:
        return next((o for o in self.offers if o.booking_id == booking_id), None)

    def add(self, entry: Entry, now: datetime) -> Step:
        """Put a booking on the list; an unclaimed table it fits is offered at once."""
        listed = replace(
            self,
            entries=(*(e for e in self.entries if e.booking_id != entry.booking_id), entry),
        )
        return listed._offer_unclaimed(now)

    def reprioritise(self, scores: dict[str, int]) -> Waitlist:
        return replace(
            self,
            entries=tuple(
                replace(e, priority=scores.get(e.booking_id, e.priority)) for e in self.entries
            ),
        )

    def remove(self, booking_id: str, now: datetime) -> Step:
        """The guest left or was seated some other way; an offer they held passes on."""
        offer = self.offer_for(booking_id)
        state = replace(self, entries=tuple(e for e in self.entries if e.booking_id != booking_id))
        if offer is None:
            return state, ()
        state = replace(state, offers=tuple(o for o in state.offers if o is not offer))
        state, events = state._offer(offer.freed, now)
        withdrawn = WaitlistEvent(EventKind.WITHDRAWN, now, offer.freed, booking_id, offer)
        return state, (withdrawn, *events)

    def table_freed(self, freed: FreedTable, now: datetime) -> Step:
        if any(o.freed.id == freed.id for o in self.offers) or freed in self.unclaimed:
            return self, ()
        rest = self._beyond_known(freed, now)
        if rest is None:
            return self, ()
        return self._offer(rest, now)

    def _beyond_known(self, freed: FreedTable, now: datetime) -> FreedTable | None:
        """What of ``freed`` no stretch already known here covers (a table is offered to one
        guest at a time), or None. A desk that missed a table being taken and freed again
        between two pulls — a guest seated by their text's "1", then cancelled by a "9" —
        is told of a stretch inside one it is already offering. Where the two overlap
        only in part, the part after the known stretch is kept and a part before it is
        not offered: a table offered twice is worse than a short stretch not offered."""
        start = max(now, freed.start)
        for known in (*(o.freed for o in self.offers), *self.unclaimed):
            if not set(known.table_ids) & set(freed.table_ids):
                continue
            known_start = max(now, known.start)
            if not _before(start, known.until) or not _before(known_start, freed.until):
                continue
            if known.until is None or not _before(known.until, freed.until):
                return None
            start = known.until
        return freed if start == max(now, freed.start) else replace(freed, start=start)

    def table_taken(self, freed_id: str, now: datetime) -> Step:
        """Staff used the freed table for someone else: its offer is withdrawn."""
        offers = [o for o in self.offers if o.freed.id == freed_id]
        state = replace(
            self,
            offers=tuple(o for o in self.offers if o.freed.id != freed_id),
            unclaimed=tuple(f for f in self.unclaimed if f.id != freed_id),
        )
        events = tuple(
            WaitlistEvent(EventKind.WITHDRAWN, now, o.freed, o.booking_id, o, Withdrawal.TAKEN)
            for o in offers
        )
        state, more = state._offer_unclaimed(now)
        return state, (*events, *more)

    def accept(self, booking_id: str, now: datetime) -> Step:
        offer = self._open_offer(booking_id, now)
        state = replace(
            self,
            entries=tuple(e for e in self.entries if e.booking_id != booking_id),
            offers=tuple(o for o in self.offers if o is not offer),
        )
        return state, (WaitlistEvent(EventKind.ACCEPTED, now, offer.freed, booking_id, offer),)

    def refit(self, now: datetime) -> Step:
        """Open offers whose guest no longer fits the table pass to the next who does.

        Time running on is not a reason: the guest may still take a shorter stay."""
        entries = {e.booking_id: e for e in self.entries}
        state: Waitlist = self
        events: list[WaitlistEvent] = []
        for offer in sorted(self.offers, key=lambda o: (o.offered_at, o.id)):
            entry = entries.get(offer.booking_id)
            reason = skip_reason(entry, offer.freed, now) if entry else None
            if reason is not None and reason is not SkipReason.TOO_SHORT:
                kind, why = EventKind.WITHDRAWN, Withdrawal.UNFIT
                state, happened = state._pass_on(offer, now, reason, kind, why)
                events.extend(happened)
        return state, tuple(events)

    def step_aside(self, now: datetime) -> Step:
        """This desk's offers to guests in ``elsewhere`` pass to the next guest who fits."""
        state: Waitlist = self
        events: list[WaitlistEvent] = []
        for offer in sorted(self.offers, key=lambda o: (o.offered_at, o.id)):
            if offer.booking_id in self.elsewhere:
                reason, kind = SkipReason.OFFERED_ELSEWHERE, EventKind.WITHDRAWN
                state, happened = state._pass_on(offer, now, reason, kind, Withdrawal.ELSEWHERE)
                events.extend(happened)
        return state, tuple(events)

    def decline(self, booking_id: str, now: datetime) -> Step:
        offer = self._open_offer(booking_id, now)
        return self._pass_on(offer, now, SkipReason.DECLINED, EventKind.DECLINED)

    def tick(self, now: datetime) -> Step:
        """Expire every offer whose hold has run out and pass each one on."""
        state: Waitlist = self
        events: list[WaitlistEvent] = []
        for offer in sorted(self.offers, key=lambda o: (o.expires_at, o.id)):
            if offer.expires_at <= now:
                state, happened = state._pass_on(offer, now, SkipReason.EXPIRED, EventKind.EXPIRED)
                events.extend(happened)
        return state, tuple(events)

    def offer_unclaimed(self, now: datetime) -> Step:
        """Offer tables nobody fitted to guests who joined the list or became free since."""
        return self._offer_unclaimed(now)

    def _open_offer(self, booking_id: str, now: datetime) -> Offer:
        offer = self.offer_for(booking_id)
        if offer is None:
            raise OfferNotOpen("This guest has no open table offer.")
        if offer.expires_at <= now:
            raise OfferNotOpen(
                "The table offer has expired and passed to the next guest on the list."
            )
        return offer

    def _pass_on(
        self,
        offer: Offer,
        now: datetime,
        reason: SkipReason,
        kind: EventKind,
        why: Withdrawal | None = None,
    ) -> Step:
        state = replace(
            self,
            offers=tuple(o for o in self.offers if o is not offer),
            passed=self.passed | {(offer.freed.id, offer.booking_id)},
            log=(*self.log, Skip(offer.booking_id, offer.freed.id, reason, now)),
        )
        state, events = state._offer(offer.freed, now)
        # The guest holds no offer now, so a table left unclaimed may be theirs.
        state, more = state._offer_unclaimed(now)
        ended = WaitlistEvent(kind, now, offer.freed, offer.booking_id, offer, why)
        return state, (ended, *events, *more)

    def _offer(self, freed: FreedTable, now: datetime) -> Step:
        """Offer ``freed`` to the highest-priority entry that fits, logging who was skipped."""
        holding = {o.booking_id for o in self.offers}
        skips: list[Skip] = []
        for entry in self.ranked():
            if (freed.id, entry.booking_id) in self.passed:
                continue
            reason = skip_reason(entry, freed, now)
            if reason is None and entry.booking_id in holding:
                reason = SkipReason.HOLDING_OFFER
            if reason is None and entry.booking_id in self.elsewhere:
                reason = SkipReason.OFFERED_ELSEWHERE
            if reason is not None:
                skips.append(Skip(entry.booking_id, freed.id, reason, now))
                continue
            offer = Offer(freed, entry.booking_id, now, now + timedelta(minutes=self.hold_minutes))
            state = replace(
                self,
                offers=(*self.offers, offer),
                unclaimed=tuple(f for f in self.unclaimed if f.id != freed.id),
                log=(*self.log, *skips),
            )
            return state, (WaitlistEvent(EventKind.OFFERED, now, freed, entry.booking_id, offer),)
        state = replace(
            self,
            unclaimed=(*(f for f in self.unclaimed if f.id != freed.id), freed),
            log=(*self.log, *skips),
        )
        return state, (WaitlistEvent(EventKind.UNCLAIMED, now, freed),)

    def _offer_unclaimed(self, now: datetime) -> Step:
        state: Waitlist = self
        events: list[WaitlistEvent] = []
        for freed in self.unclaimed:
            if any(f.id == freed.id for f in state.unclaimed):
                state, happened = state._offer_quietly(freed, now)
                events.extend(happened)
        return state, tuple(events)

    def _offer_quietly(self, freed: FreedTable, now: datetime) -> Step:
        """Re-try an unclaimed table without logging the same skips again."""
        state, events = self._offer(freed, now)
        if events and events[0].kind is EventKind.UNCLAIMED:
            return self, ()
        return state, events
