"""The manager's night review: what happened on one service day, in figures (docs/review.md).

Pure: the desk's service gathers the night's bookings, what the audit trail says
happened to each and when, the deposit ledger and the waitlist's offers into
``NightFacts`` (app.domain.review_facts); ``review_night`` turns them into every
figure the screen, the CSV, the PDF and ``backroom report night`` show. Each figure
is defined once, here and in app.domain.review_breakdown, and docs/review.md says
it in words.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from app.domain.booking import Source
from app.domain.packages import NO_PACKAGES, NightPackages, night_packages
from app.domain.review_breakdown import (
    HourBar,
    Incident,
    PlaceLine,
    areas_of,
    by_hour,
    incidents_of,
    minutes,
    occupied,
    tables_of,
    turn_by_size,
)
from app.domain.review_facts import (
    HISTORY_WEEKS,
    SAT,
    TRAIL_STATUSES,
    Came,
    ConflictFact,
    NightFacts,
    OfferFact,
    S,
    Visit,
    came,
    visit_from_trail,
)
from app.domain.review_money import DepositFigures, deposit_figures
from app.domain.spend import NO_SPEND, MinimumLine, NightSpend, minimum_lines, night_spend

__all__ = [
    "HISTORY_WEEKS",
    "SAT",
    "TRAIL_STATUSES",
    "Came",
    "ConflictFact",
    "HourBar",
    "Incident",
    "NightFacts",
    "NightReview",
    "OfferFact",
    "PlaceLine",
    "Visit",
    "came",
    "review_night",
    "visit_from_trail",
]


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
    # What the parties spent, against their tables' minimum spends (app.domain.spend).
    spend: NightSpend = NO_SPEND
    minimums: tuple[MinimumLine, ...] = ()
    # The packages served to parties that sat down (app.domain.packages).
    packages: NightPackages = NO_PACKAGES

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
    tables = tables_of(facts, visits) if full else ()
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
        by_hour=by_hour(facts, sat) if full else (),
        party_mix=tuple(sorted(Counter(v.booking.party_size for v in sat).items())),
        turn_by_size=turn_by_size(sat) if full else (),
        tables=tables,
        areas=areas_of(facts, tables) if full else (),
        incidents=incidents_of(facts, visits, no_shows, late) if full else (),
        visits=visits,
        spend=night_spend(facts.plan, (v.booking for v in visits)),
        minimums=minimum_lines(facts.plan, ((v.booking, v.guest) for v in visits)) if full else (),
        packages=night_packages(v.booking for v in visits),
    )


def _covers(sat: Sequence[Visit]) -> Covers:
    counts = Counter[Came]()
    for v in sat:
        counts[came(v.booking)] += v.booking.party_size
    return Covers(counts[Came.BOOKED], counts[Came.WALK_IN], counts[Came.WAITLIST])


def _utilisation(facts: NightFacts, sat: Sequence[Visit]) -> Rate:
    window = facts.venue.opening_window(facts.day)
    if window is None:
        return Rate(0, 0)
    open_minutes = int((window[1] - window[0]).total_seconds() // 60)
    seats = sum(t.max_covers for t in facts.plan.tables if t.active)
    used = sum(v.booking.party_size * minutes(occupied(window, v)) for v in sat)
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
