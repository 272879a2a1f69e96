"""The manager's night review: what happened on one service day, in figures (docs/review.md).

Pure: the desk's service gathers the night's bookings, what the audit trail says
happened to each and when, the deposit ledger and the waitlist's offers into
``NightFacts``; ``review_night`` turns them into every figure the screen, the
CSV, the PDF and ``backroom report night`` show. Each figure is defined once,
here, and docs/review.md says it in words.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.booking import Booking, BookingStatus, Source
from app.domain.deposit_ledger import LedgerEntry
from app.domain.floorplan import FloorPlan
from app.domain.references import format_reference
from app.domain.review_money import DepositFigures, deposit_figures
from app.domain.venue import Venue

S = BookingStatus
# A guest who cancels less than this before the booked time cancels late.
LATE_CANCEL = timedelta(hours=24)
# The comparison: the same weekday over this many weeks before the night.
HISTORY_WEEKS = 12
SAT = frozenset({S.SEATED, S.COMPLETED})


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

    @property
    def turn_minutes(self) -> int | None:
        if self.booking.status is not S.COMPLETED or not (self.seated_at and self.left_at):
            return None
        return max(0, int((self.left_at - self.seated_at).total_seconds() // 60))

    @property
    def late_cancel(self) -> bool:
        b = self.booking
        return (
            b.status is S.CANCELLED
            and self.cancelled_at is not None
            and self.cancelled_at > b.start - LATE_CANCEL
        )


def visit_from_trail(b: Booking, guest: str, trail: Iterable[tuple[datetime, str | None]]) -> Visit:
    """A visit from the booking's audit trail: (when, status after) in time order.

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
    return Visit(b, guest, seated, left, cancelled)


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


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    of: int

    @property
    def value(self) -> float | None:
        return None if self.of == 0 else self.count / self.of

    @property
    def percent(self) -> float | None:
        v = self.value
        return None if v is None else round(100 * v, 1)


@dataclass(frozen=True, slots=True)
class Covers:
    booked: int = 0
    walk_in: int = 0
    waitlist: int = 0

    @property
    def total(self) -> int:
        return self.booked + self.walk_in + self.waitlist


@dataclass(frozen=True, slots=True)
class Funnel:
    """Guests on the night's waitlist and how far their offers went (each guest counted once:
    ``expired`` let an offer lapse and never accepted one); ``offers``: offers made in all."""

    waitlisted: int = 0
    offered: int = 0
    accepted: int = 0
    seated: int = 0
    expired: int = 0
    offers: int = 0


@dataclass(frozen=True, slots=True)
class PlaceLine:
    """One table (``name`` its number) or one area: what it served."""

    name: str
    area: str
    covers: int = 0
    turns: int = 0
    minutes: int = 0
    no_shows: int = 0


@dataclass(frozen=True, slots=True)
class Incident:
    kind: str
    reference: str
    guest: str
    start: datetime
    party: int
    detail: str = ""
    booking_id: str = ""


@dataclass(frozen=True, slots=True)
class HourBar:
    """Covers seated in one clock hour of the night (``hour`` 0–23, venue time)."""

    hour: int
    booked: int = 0
    walk_in: int = 0
    waitlist: int = 0

    @property
    def total(self) -> int:
        return self.booked + self.walk_in + self.waitlist


@dataclass(frozen=True, slots=True)
class NightReview:
    day: date
    covers: Covers
    parties: int
    bookings: int
    no_shows: Rate
    late_cancels: Rate
    median_turn: float | None
    utilisation: Rate
    deposits: DepositFigures
    funnel: Funnel
    by_hour: tuple[HourBar, ...]
    party_mix: tuple[tuple[int, int], ...]
    turn_by_size: tuple[tuple[int, float], ...]
    tables: tuple[PlaceLine, ...]
    areas: tuple[PlaceLine, ...]
    incidents: tuple[Incident, ...]
    visits: tuple[Visit, ...] = field(repr=False, default=())

    @property
    def average_party(self) -> float | None:
        return None if self.parties == 0 else self.covers.total / self.parties

    @property
    def empty(self) -> bool:
        return not self.visits


def review_night(facts: NightFacts, *, full: bool = True) -> NightReview:
    """Every figure of the night; ``full=False``: only the headline figures (the tiles),
    for the history nights a night is compared with."""
    visits = tuple(sorted(facts.visits, key=lambda v: (v.booking.start, v.booking.reference)))
    sat = [v for v in visits if v.booking.status in SAT]
    reservations = [
        v
        for v in visits
        if v.booking.source is not Source.WALK_IN and v.booking.status is not S.WAITLISTED
    ]
    no_shows = [v for v in reservations if v.booking.status is S.NO_SHOW]
    arrived = [v for v in reservations if v.booking.status in SAT]
    late = [v for v in reservations if v.late_cancel]
    turns = [t for v in sat if (t := v.turn_minutes) is not None]
    forfeits = frozenset(v.booking.id for v in no_shows + late)
    tables = _tables(facts, visits) if full else ()
    return NightReview(
        day=facts.day,
        covers=_covers(sat),
        parties=len(sat),
        bookings=len(reservations),
        no_shows=Rate(len(no_shows), len(arrived) + len(no_shows)),
        late_cancels=Rate(len(late), len(reservations)),
        median_turn=statistics.median(turns) if turns else None,
        utilisation=_utilisation(facts, sat),
        deposits=deposit_figures([v.booking for v in visits], facts.ledger, forfeits),
        funnel=_funnel(visits, facts.offers),
        by_hour=_by_hour(facts, sat) if full else (),
        party_mix=tuple(sorted(Counter(v.booking.party_size for v in sat).items())),
        turn_by_size=_turn_by_size(sat) if full else (),
        tables=tables,
        areas=_areas(facts, tables) if full else (),
        incidents=_incidents(facts, visits, no_shows, late) if full else (),
        visits=visits,
    )


def _covers(sat: Sequence[Visit]) -> Covers:
    counts = Counter[Came]()
    for v in sat:
        counts[came(v.booking)] += v.booking.party_size
    return Covers(counts[Came.BOOKED], counts[Came.WALK_IN], counts[Came.WAITLIST])


def occupied(window: tuple[datetime, datetime], v: Visit) -> tuple[datetime, datetime] | None:
    """When the party sat, within the night's ``window``: seated to left, else to its
    booked end."""
    if v.seated_at is None:
        return None
    end = v.left_at or max(v.booking.end, v.seated_at)
    start, end = max(v.seated_at, window[0]), min(end, window[1])
    return (start, end) if end > start else None


def night_window(facts: NightFacts) -> tuple[datetime, datetime]:
    venue = facts.venue
    return venue.opening_window(facts.day) or venue.service_window(facts.day)


def _minutes(span: tuple[datetime, datetime] | None) -> int:
    return 0 if span is None else int((span[1] - span[0]).total_seconds() // 60)


def _utilisation(facts: NightFacts, sat: Sequence[Visit]) -> Rate:
    window = facts.venue.opening_window(facts.day)
    if window is None:
        return Rate(0, 0)
    open_minutes = int((window[1] - window[0]).total_seconds() // 60)
    seats = sum(t.max_covers for t in facts.plan.tables if t.active)
    used = sum(v.booking.party_size * _minutes(occupied(window, v)) for v in sat)
    return Rate(used, seats * open_minutes)


def _funnel(visits: Sequence[Visit], offers: Sequence[OfferFact]) -> Funnel:
    status = {v.booking.id: v.booking.status for v in visits}
    offered = {o.booking_id for o in offers}
    accepted = {o.booking_id for o in offers if o.outcome == "accepted"}
    lapsed = {o.booking_id for o in offers if o.outcome == "expired"}
    return Funnel(
        waitlisted=sum(1 for v in visits if v.booking.waitlisted_at is not None),
        offered=len(offered),
        accepted=len(accepted),
        seated=sum(1 for b in accepted if status.get(b) in SAT),
        expired=len(lapsed - accepted),
        offers=len(offers),
    )


def _by_hour(facts: NightFacts, sat: Sequence[Visit]) -> tuple[HourBar, ...]:
    venue = facts.venue
    window = venue.opening_window(facts.day) or venue.service_window(facts.day)
    hours: list[int] = []
    at = window[0].replace(minute=0, second=0, microsecond=0)
    while at < window[1]:
        hour = venue.local(at).hour
        if hour not in hours:
            hours.append(hour)
        at += timedelta(hours=1)
    counts: dict[int, Counter[Came]] = {h: Counter() for h in hours}
    for v in sat:
        hour = venue.local(v.seated_at or v.booking.start).hour
        counts.setdefault(hour, Counter())[came(v.booking)] += v.booking.party_size
    return tuple(
        HourBar(h, c[Came.BOOKED], c[Came.WALK_IN], c[Came.WAITLIST]) for h, c in counts.items()
    )


def _turn_by_size(sat: Sequence[Visit]) -> tuple[tuple[int, float], ...]:
    by_size: dict[int, list[int]] = {}
    for v in sat:
        if (t := v.turn_minutes) is not None:
            by_size.setdefault(v.booking.party_size, []).append(t)
    return tuple((size, statistics.median(ts)) for size, ts in sorted(by_size.items()))


def _tables(facts: NightFacts, visits: Sequence[Visit]) -> tuple[PlaceLine, ...]:
    """Covers and no-shows go to a party's first table (so they add up to the night's);
    turns and minutes to every table it sat at."""
    areas = {a.id: a.name for a in facts.plan.areas}
    window = night_window(facts)
    lines: dict[str, dict[str, int]] = {}
    for v in visits:
        b = v.booking
        for i, table_id in enumerate(b.table_ids):
            line = lines.setdefault(table_id, Counter())
            if b.status in SAT:
                line["turns"] += 1
                line["minutes"] += _minutes(occupied(window, v))
                if i == 0:
                    line["covers"] += b.party_size
            elif b.status is S.NO_SHOW and i == 0:
                line["no_shows"] += 1
    out = []
    for t in sorted(facts.plan.tables, key=lambda t: t.number):
        if not t.active and t.id not in lines:
            continue
        n = lines.get(t.id, {})
        out.append(
            PlaceLine(
                str(t.number),
                areas.get(t.area_id, ""),
                n.get("covers", 0),
                n.get("turns", 0),
                n.get("minutes", 0),
                n.get("no_shows", 0),
            )
        )
    return tuple(out)


def _areas(facts: NightFacts, tables: Sequence[PlaceLine]) -> tuple[PlaceLine, ...]:
    totals: dict[str, Counter[str]] = {a.name: Counter() for a in facts.plan.areas}
    for t in tables:
        c = totals.setdefault(t.area, Counter())
        c.update(covers=t.covers, turns=t.turns, minutes=t.minutes, no_shows=t.no_shows)
    return tuple(
        PlaceLine(name, name, c["covers"], c["turns"], c["minutes"], c["no_shows"])
        for name, c in totals.items()
    )


def _incidents(
    facts: NightFacts, visits: Sequence[Visit], no_shows: Sequence[Visit], late: Sequence[Visit]
) -> tuple[Incident, ...]:
    venue = facts.venue
    found: list[Incident] = []
    for v in no_shows:
        found.append(_incident("no-show", v))
    for v in late:
        assert v.cancelled_at is not None
        before = v.booking.start - v.cancelled_at
        hours, minutes = divmod(int(before.total_seconds() // 60), 60)
        found.append(
            _incident(
                "late cancellation",
                v,
                f"cancelled {venue.show_day_time(v.cancelled_at)}, {hours}h{minutes:02d} before",
            )
        )
    by_id = {v.booking.id: v for v in visits}
    for c in facts.conflicts:
        if c.booking_id in by_id:
            found.append(_incident("conflict", by_id[c.booking_id], f"{c.kind}, {c.state}"))
    return tuple(sorted(found, key=lambda i: (i.start, i.kind, i.reference)))


def _incident(kind: str, v: Visit, detail: str = "") -> Incident:
    b = v.booking
    return Incident(
        kind, format_reference(b.reference), v.guest, b.start, b.party_size, detail, b.id
    )
