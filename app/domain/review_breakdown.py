"""The night review's breakdowns: covers by hour, turn times by size, tables, areas, and the
night's incidents (no-shows, late cancellations, conflicts)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.booking import BookingStatus
from app.domain.deposit_actions import refundable_pence
from app.domain.deposit_words import give_back_words
from app.domain.references import format_reference
from app.domain.review_facts import SAT, Came, NightFacts, Visit, came
from app.domain.review_money import money_by_booking, to_give_back

# The heading of the incidents' table, on screen and in the PDF.
INCIDENTS = "No-shows, late cancellations, conflicts and money to give back"

S = BookingStatus


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


def minutes(span: tuple[datetime, datetime] | None) -> int:
    return 0 if span is None else int((span[1] - span[0]).total_seconds() // 60)


def by_hour(facts: NightFacts, sat: Sequence[Visit]) -> tuple[HourBar, ...]:
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


def turn_by_size(sat: Sequence[Visit]) -> tuple[tuple[int, float], ...]:
    by_size: dict[int, list[int]] = {}
    for v in sat:
        if (t := v.turn_minutes) is not None:
            by_size.setdefault(v.booking.party_size, []).append(t)
    return tuple((size, statistics.median(ts)) for size, ts in sorted(by_size.items()))


def tables_of(facts: NightFacts, visits: Sequence[Visit]) -> tuple[PlaceLine, ...]:
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
                line["minutes"] += minutes(occupied(window, v))
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


def areas_of(facts: NightFacts, tables: Sequence[PlaceLine]) -> tuple[PlaceLine, ...]:
    totals: dict[str, Counter[str]] = {a.name: Counter() for a in facts.plan.areas}
    for t in tables:
        c = totals.setdefault(t.area, Counter())
        c.update(covers=t.covers, turns=t.turns, minutes=t.minutes, no_shows=t.no_shows)
    return tuple(
        PlaceLine(name, name, c["covers"], c["turns"], c["minutes"], c["no_shows"])
        for name, c in totals.items()
    )


def incidents_of(
    facts: NightFacts, visits: Sequence[Visit], no_shows: Sequence[Visit], late: Sequence[Visit]
) -> tuple[Incident, ...]:
    venue = facts.venue
    found: list[Incident] = []
    for v in no_shows:
        found.append(_incident("no-show", v))
    for v in late:
        assert v.cancelled_at is not None
        when = venue.show_day_time(v.cancelled_at)
        found.append(
            _incident(
                "late cancellation",
                v,
                f"cancelled {when}, {_ahead(v.booking.start, v.cancelled_at)}",
            )
        )
    money = money_by_booking(facts.ledger)
    for v in visits:
        if v.booking.id in money and (back := to_give_back(v.booking, money[v.booking.id])):
            online = refundable_pence(e for e in facts.ledger if e.booking_id == v.booking.id)
            found.append(_incident("to give back", v, give_back_words(back, online)))
    by_id = {v.booking.id: v for v in visits}
    for c in facts.conflicts:
        if c.booking_id in by_id:
            found.append(_incident("conflict", by_id[c.booking_id], f"{c.kind}, {c.state}"))
    return tuple(sorted(found, key=lambda i: (i.start, i.kind, i.reference)))


def _ahead(start: datetime, cancelled_at: datetime) -> str:
    """How long before the party's time it was cancelled: "2h30 before", or — a guest who
    rings once the table has waited for them — "0h15 after", never a negative time."""
    minutes = int((start - cancelled_at).total_seconds() / 60)
    if minutes == 0:
        return "at its time"
    hours, rest = divmod(abs(minutes), 60)
    return f"{hours}h{rest:02d} {'before' if minutes > 0 else 'after'}"


def _incident(kind: str, v: Visit, detail: str = "") -> Incident:
    b = v.booking
    return Incident(
        kind, format_reference(b.reference), v.guest, b.start, b.party_size, detail, b.id
    )
