"""The manager's night review, a booking's history and the audit check, from this desk's file only.

Nothing here needs the network: the figures are read from the local database,
so the review works on a laptop on a train. Managers and admins only
(``Action.VIEW_REPORTS``); reception is refused with the reason.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.deposit_ledger import LedgerEntry
from app.domain.deposits import PolicyVersions
from app.domain.errors import InvalidInput, NotFound
from app.domain.permissions import Action, Staff
from app.domain.references import format_reference
from app.domain.review import (
    HISTORY_WEEKS,
    NightFacts,
    NightReview,
    review_night,
    visit_from_trail,
)
from app.domain.review_history import HistoryStep, Words, history_step
from app.domain.review_kpis import Kpi, history_days, kpis
from app.domain.rules import VenueRules
from app.models.audit_check import check_audit
from app.models.review_repository import NightRows, Stamp
from app.models.uow import Store
from app.services.common import Clock


@dataclass(frozen=True, slots=True)
class ReviewedNight:
    rules: VenueRules
    review: NightReview
    kpis: list[Kpi]
    # How many of the same weekday's earlier nights had bookings (the comparison's base).
    history_nights: int
    # The deposit ledger of the night's bookings (the CSV's money columns).
    ledger: tuple[LedgerEntry, ...] = ()

    @property
    def day(self) -> date:
        return self.review.day

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)


@dataclass(frozen=True, slots=True)
class BookingHistory:
    reference: str
    guest: str
    steps: list[HistoryStep]


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    intact: bool
    checked: int
    problems: list[str]

    @property
    def words(self) -> str:
        if self.intact:
            return (
                f"The audit log is intact: {self.checked} events checked, every chain links "
                "up and the file passes SQLite's integrity check."
            )
        return "The audit log is NOT intact:\n" + "\n".join(f"• {p}" for p in self.problems)


def facts_of(rules: VenueRules, day: date, rows: NightRows, policies: PolicyVersions) -> NightFacts:
    visits = tuple(
        visit_from_trail(
            b,
            rows.guests.get(b.customer_id, ""),
            rows.trails.get(b.id, []),
            policies.of(b.deposit_policy_version),
        )
        for b in rows.bookings
    )
    return NightFacts(
        day=day,
        venue=rules.venue,
        plan=rules.plan,
        visits=visits,
        ledger=tuple(rows.ledger),
        offers=tuple(rows.offers),
        conflicts=tuple(rows.conflicts),
    )


@contextmanager
def _making_many() -> Iterator[None]:
    """Reading a night and its history makes tens of thousands of objects and no garbage:
    the cyclic collector would walk the desk's whole heap again and again for nothing
    (10–30 % of a first review's reading, docs/benchmarks.md), so it waits until then."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class NightReviews:
    """The review's use cases. Keeps the history nights' headline figures between calls: a
    past night's figures change only when something they are made of does, which its stamp
    (``ReviewRepository.stamps``) shows, or when the venue's rules do (its hours, its
    tables, its deposit policies), which empties the cache."""

    # Four reviews' worth of history nights (a few MB at most).
    KEEP = 4 * HISTORY_WEEKS

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._history: dict[date, tuple[Stamp, NightReview]] = {}
        self._made_by: tuple[VenueRules, PolicyVersions] | None = None
        # The window reviews on the GUI thread while ``warm`` may run on another.
        self._lock = threading.Lock()

    def latest_night(self) -> date:
        """The night a review opens on: the one in progress, else the one before it
        (at noon, last night is the one to review)."""
        with self.store.read() as reader:
            venue = reader.venue.get().venue
        now = self.clock()
        day = venue.service_day(now)
        window = venue.opening_window(day)
        if window is None or now < window[0]:
            return day - timedelta(days=1)
        return day

    def night(self, staff: Staff, day: date) -> ReviewedNight:
        staff.require(Action.VIEW_REPORTS)
        with self._lock, _making_many():
            return self._night(day)

    def warm(self, staff: Staff) -> None:
        """Read the latest night's history while the desk is idle, so that the first
        review a manager opens finds its twelve weeks already worked out."""
        if staff.may(Action.VIEW_REPORTS):
            self.night(staff, self.latest_night())

    def _night(self, day: date) -> ReviewedNight:
        with self.store.read() as reader:
            rules = reader.venue.get()
            self._refuse_future(rules, day)
            policies = PolicyVersions(rules.deposits, reader.review.policies())
            if self._made_by != (rules, policies):
                self._history.clear()
                self._made_by = (rules, policies)
            earlier = history_days(day)
            stamps = reader.review.stamps(earlier)
            stale = [
                d for d in earlier if d not in self._history or self._history[d][0] != stamps[d]
            ]
            rows = reader.review.nights([day, *stale])
        review = review_night(facts_of(rules, day, rows[day], policies))
        for d in stale:
            self._keep(
                d, stamps[d], review_night(facts_of(rules, d, rows[d], policies), full=False)
            )
        history = [self._history[d][1] for d in earlier]
        tiles = kpis(review, history)
        shown = sum(1 for h in history if not h.empty)
        return ReviewedNight(rules, review, tiles, shown, tuple(rows[day].ledger))

    def worked_out(self) -> list[date]:
        """The earlier nights whose figures are kept, ready for the next review."""
        with self._lock:
            return sorted(self._history)

    def _keep(self, day: date, stamp: Stamp, review: NightReview) -> None:
        self._history.pop(day, None)
        self._history[day] = (stamp, review)
        while len(self._history) > self.KEEP:
            del self._history[next(iter(self._history))]

    def compare(self, staff: Staff, first: date, second: date) -> tuple[ReviewedNight, ...]:
        return self.night(staff, first), self.night(staff, second)

    def history(self, staff: Staff, booking_id: str) -> BookingHistory:
        staff.require(Action.VIEW_REPORTS)
        with self.store.read() as reader:
            booking = reader.bookings.get(booking_id)
            if booking is None:
                raise NotFound("That booking no longer exists on this desk.")
            customer = reader.customers.get(booking.customer_id)
            desk = reader.device.get()
            events = reader.history.events_of(booking_id)
            answers = reader.history.answers(booking_id, events)
        connected = desk.server_url is not None
        rules = self._rules()
        words = Words(rules.venue, {t.id: str(t.number) for t in rules.plan.tables})
        steps = [
            history_step(
                e,
                desk.name if e.device_id == desk.id else f"another desk ({e.device_id[:8]})",
                answers.get(e.id),
                words,
                connected=connected,
            )
            for e in events
        ]
        return BookingHistory(
            format_reference(booking.reference), customer.name if customer else "", steps
        )

    def verify_audit(self, staff: Staff) -> AuditVerdict:
        staff.require(Action.VIEW_REPORTS)
        with self.store.read() as reader:
            report = check_audit(reader.session)
        return AuditVerdict(report.intact, report.checked, list(report.problems))

    def _rules(self) -> VenueRules:
        with self.store.read() as reader:
            return reader.venue.get(areas_of_retired_tables=True)

    def _refuse_future(self, rules: VenueRules, day: date) -> None:
        tonight = rules.venue.service_day(self.clock())
        if day > tonight:
            raise InvalidInput(
                "date",
                f"{day:%a} {day.day} {day:%b %Y} has not happened yet: the review covers "
                f"nights up to tonight ({tonight:%a} {tonight.day} {tonight:%b %Y}).",
            )
