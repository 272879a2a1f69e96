"""The review's charts as data: what each one plots, for the one painter (app.views.review_charts)
that draws it on the screen, in the PDF and in a PNG alike."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.review import NightReview


class ChartKind(StrEnum):
    STACKED = "stacked"
    BARS = "bars"
    WATERFALL = "waterfall"
    FUNNEL = "funnel"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]
    # A colour name the painter knows (app.views.review_charts.COLOURS).
    colour: str


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    # How a value is shown on the chart: "", "min", "£".
    unit: str = ""

    def total(self, index: int) -> float:
        return sum(s.values[index] for s in self.series)


def covers_by_hour(r: NightReview) -> Chart:
    bars = r.by_hour
    return Chart(
        "covers_by_hour",
        "Covers by hour seated",
        ChartKind.STACKED,
        tuple(f"{b.hour:02d}" for b in bars),
        (
            Series("booked", tuple(b.booked for b in bars), "booked"),
            Series("walk-in", tuple(b.walk_in for b in bars), "walk_in"),
            Series("waitlist", tuple(b.waitlist for b in bars), "waitlist"),
        ),
    )


def party_mix(r: NightReview) -> Chart:
    return Chart(
        "party_mix",
        "Parties by size",
        ChartKind.BARS,
        tuple(str(size) for size, _ in r.party_mix),
        (Series("parties", tuple(n for _, n in r.party_mix), "booked"),),
    )


def turn_by_size(r: NightReview) -> Chart:
    return Chart(
        "turn_by_size",
        "Median turn time by party size",
        ChartKind.BARS,
        tuple(str(size) for size, _ in r.turn_by_size),
        (Series("minutes", tuple(m for _, m in r.turn_by_size), "turn"),),
        unit="min",
    )


def deposit_waterfall(r: NightReview) -> Chart:
    """Taken, less refunded, is kept; forfeited is part of kept; outstanding is still owed.
    Values in pence; a refund is a step down."""
    d = r.deposits
    return Chart(
        "deposit_waterfall",
        "Deposits",
        ChartKind.WATERFALL,
        ("taken", "refunded", "kept", "forfeited", "outstanding"),
        (
            Series(
                "pence",
                (d.taken, -d.refunded, d.kept, d.forfeited, d.outstanding),
                "money",
            ),
        ),
        unit="£",
    )


def waitlist_funnel(r: NightReview) -> Chart:
    f = r.funnel
    return Chart(
        "waitlist_funnel",
        "Waitlist",
        ChartKind.FUNNEL,
        ("waitlisted", "offered", "accepted", "seated", "expired"),
        (Series("guests", (f.waitlisted, f.offered, f.accepted, f.seated, f.expired), "waitlist"),),
    )


def charts(r: NightReview) -> list[Chart]:
    return [
        covers_by_hour(r),
        party_mix(r),
        turn_by_size(r),
        deposit_waterfall(r),
        waitlist_funnel(r),
    ]


CHART_KEYS = ("covers_by_hour", "party_mix", "turn_by_size", "deposit_waterfall", "waitlist_funnel")
