"""The review's headline figures (its tiles), each beside the same weekday's recent average."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.deposits import format_pence
from app.domain.review import HISTORY_WEEKS, NightReview

NOT_ENOUGH = "not enough history"


def history_days(day: date, weeks: int = HISTORY_WEEKS) -> list[date]:
    """The same weekday in each of the ``weeks`` weeks before ``day``, most recent first."""
    return [day - timedelta(weeks=k) for k in range(1, weeks + 1)]


def _count(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _minutes(value: float) -> str:
    return f"{value:.0f} min"


def _party(value: float) -> str:
    return f"{value:.1f}"


def _money(value: float) -> str:
    return format_pence(round(value))


Getter = Callable[[NightReview], float | None]


@dataclass(frozen=True, slots=True)
class KpiDef:
    key: str
    label: str
    get: Getter
    show: Callable[[float], str]


KPIS: tuple[KpiDef, ...] = (
    KpiDef("covers", "Covers", lambda r: r.covers.total, _count),
    KpiDef("covers_booked", "Covers booked", lambda r: r.covers.booked, _count),
    KpiDef("covers_walk_in", "Covers walk-in", lambda r: r.covers.walk_in, _count),
    KpiDef("covers_waitlist", "Covers from waitlist", lambda r: r.covers.waitlist, _count),
    KpiDef("bookings", "Bookings", lambda r: r.bookings, _count),
    KpiDef("no_show_rate", "No-show rate", lambda r: r.no_shows.value, _percent),
    KpiDef("late_cancel_rate", "Late-cancel rate", lambda r: r.late_cancels.value, _percent),
    KpiDef("average_party", "Average party", lambda r: r.average_party, _party),
    KpiDef("median_turn", "Median turn time", lambda r: r.median_turn, _minutes),
    KpiDef("utilisation", "Table utilisation", lambda r: r.utilisation.value, _percent),
    KpiDef("deposits_taken", "Deposits taken", lambda r: r.deposits.taken, _money),
    KpiDef("deposits_refunded", "Deposits refunded", lambda r: r.deposits.refunded, _money),
    KpiDef("deposits_forfeited", "Deposits forfeited", lambda r: r.deposits.forfeited, _money),
    KpiDef(
        "deposits_outstanding", "Deposits outstanding", lambda r: r.deposits.outstanding, _money
    ),
    KpiDef(
        "deposits_to_give_back",
        "Deposits to give back",
        lambda r: r.deposits.to_give_back,
        _money,
    ),
    KpiDef("spend", "Spend recorded", lambda r: r.spend.spend_pence, _money),
    KpiDef("minimum_short", "Short of minimum spends", lambda r: r.spend.short_pence, _money),
    KpiDef("packages_served", "Packages served", lambda r: r.packages.served, _count),
    KpiDef("package_sales", "Package sales", lambda r: r.packages.pence, _money),
    KpiDef("waitlist_offered", "Waitlist offered", lambda r: r.funnel.offered, _count),
    KpiDef("waitlist_accepted", "Waitlist accepted", lambda r: r.funnel.accepted, _count),
    KpiDef("waitlist_seated", "Waitlist seated", lambda r: r.funnel.seated, _count),
    KpiDef("waitlist_expired", "Waitlist expired", lambda r: r.funnel.expired, _count),
)


@dataclass(frozen=True, slots=True)
class Kpi:
    key: str
    label: str
    value: float | None
    text: str
    # The mean over the history nights that had any bookings; None: not enough history.
    baseline: float | None
    baseline_text: str


def kpis(review: NightReview, history: Sequence[NightReview]) -> list[Kpi]:
    """Every tile of ``review``; ``history``: the same weekday's earlier nights (empty ones are
    skipped: a night the venue was shut says nothing about a usual one)."""
    nights = [h for h in history if not h.empty]
    tiles = []
    for d in KPIS:
        value = d.get(review)
        values = [v for h in nights if (v := d.get(h)) is not None]
        mean = sum(values) / len(values) if values else None
        days = f"{review.day:%A}" + ("s" if len(values) > 1 else "")
        tiles.append(
            Kpi(
                d.key,
                d.label,
                value,
                "—" if value is None else d.show(value),
                mean,
                NOT_ENOUGH if mean is None else f"avg {d.show(mean)} ({len(values)} {days})",
            )
        )
    return tiles
