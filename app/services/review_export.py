"""The review as rows: for the window's tables, the PDF, the CSV files and ``--json``.

The CSV is two files: ``bookings-DATE.csv``, one row per booking of the night, and
``summary-DATE.csv``, one row per figure; each money column is integer pence, so
the bookings' columns add up to the summary's figures exactly.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.domain.booking import Booking
from app.domain.deposits import format_pence
from app.domain.floorplan import FloorPlan
from app.domain.references import format_reference
from app.domain.review import SAT, NightReview, PlaceLine, came
from app.domain.review_charts import charts
from app.domain.review_money import money_by_booking
from app.domain.spend import against
from app.services.review import ReviewedNight

BOOKING_COLUMNS = (
    "night",
    "reference",
    "guest",
    "party",
    "booked_for",
    "status",
    "came",
    "covers",
    "tables",
    "seated_at",
    "left_at",
    "turn_minutes",
    "late_cancel",
    "deposit_state",
    "deposit_pence",
    "taken_pence",
    "refunded_pence",
    "waived_pence",
    "minimum_spend_pence",
    "spend_pence",
    "short_pence",
    "package",
    "package_pence",
)
SUMMARY_COLUMNS = ("figure", "label", "value", "shown", "baseline", "baseline_shown")


def booking_rows(reviewed: ReviewedNight) -> list[dict[str, Any]]:
    r, venue, plan = reviewed.review, reviewed.rules.venue, reviewed.rules.plan
    numbers = {t.id: str(t.number) for t in plan.tables}
    money = money_by_booking(reviewed.ledger)
    rows = []
    for v in r.visits:
        b = v.booking
        m = money.get(b.id)
        sat = b.status in SAT
        rows.append(
            {
                "night": r.day.isoformat(),
                "reference": format_reference(b.reference),
                "guest": v.guest,
                "party": b.party_size,
                "booked_for": venue.local(b.start).strftime("%Y-%m-%d %H:%M"),
                "status": b.status.value,
                "came": came(b).value if sat else "",
                "covers": b.party_size if sat else 0,
                "tables": " + ".join(numbers.get(t, "?") for t in b.table_ids),
                "seated_at": venue.show_time(v.seated_at) if v.seated_at and sat else "",
                "left_at": venue.show_time(v.left_at) if v.left_at else "",
                "turn_minutes": "" if v.turn_minutes is None else v.turn_minutes,
                "late_cancel": "yes" if v.late_cancel else "",
                "deposit_state": b.deposit_state.value,
                "deposit_pence": b.deposit_pence,
                "taken_pence": m.taken if m else 0,
                "refunded_pence": m.refunded if m else 0,
                "waived_pence": m.waived if m else 0,
                **_spend_columns(plan, b),
                "package": b.package_id or "",
                "package_pence": b.package_pence,
            }
        )
    return rows


def _spend_columns(plan: FloorPlan, b: Booking) -> dict[str, Any]:
    """The party's minimum, spend (blank: not recorded) and shortfall (only where it was
    recorded, as the review's figure counts it), so the column adds up to the tile."""
    a = against(plan, b)
    recorded = b.spend_pence is not None
    return {
        "minimum_spend_pence": a.minimum_pence,
        "spend_pence": b.spend_pence if recorded else "",
        "short_pence": a.short_pence if recorded else 0,
    }


def summary_rows(reviewed: ReviewedNight) -> list[dict[str, Any]]:
    return [
        {
            "figure": k.key,
            "label": k.label,
            "value": "" if k.value is None else _number(k.value),
            "shown": k.text,
            "baseline": "" if k.baseline is None else _number(k.baseline),
            "baseline_shown": k.baseline_text,
        }
        for k in reviewed.kpis
    ]


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 4)


TABLE_HEAD = ("Table", "Area", "Covers", "Turns", "Minutes seated", "No-shows")
AREA_HEAD = ("Area", "Covers", "Turns", "Minutes seated", "No-shows")
INCIDENT_HEAD = ("Time", "What", "Reference", "Guest", "Party", "Detail")
MINIMUM_HEAD = ("Time", "Reference", "Guest", "Tables", "Minimum", "Spent", "Short by")


def table_rows(r: NightReview) -> list[tuple[str, ...]]:
    return [(t.name, t.area, *_served(t)) for t in r.tables]


def area_rows(r: NightReview) -> list[tuple[str, ...]]:
    # An area's line is named by its area alone: no second column repeating the name.
    return [(a.area, *_served(a)) for a in r.areas]


def _served(p: PlaceLine) -> tuple[str, ...]:
    return (str(p.covers), str(p.turns), str(p.minutes), str(p.no_shows))


def incident_rows(reviewed: ReviewedNight) -> list[tuple[str, ...]]:
    venue = reviewed.rules.venue
    return [
        (venue.show_time(i.start), i.kind, i.reference, i.guest, str(i.party), i.detail)
        for i in reviewed.review.incidents
    ]


def minimum_rows(reviewed: ReviewedNight) -> list[tuple[str, ...]]:
    venue = reviewed.rules.venue
    return [
        (
            venue.show_time(m.start),
            format_reference(m.reference),
            m.guest,
            m.tables,
            format_pence(m.against.minimum_pence),
            "not recorded"
            if m.against.spend_pence is None
            else format_pence(m.against.spend_pence),
            "" if m.against.spend_pence is None else format_pence(m.against.short_pence),
        )
        for m in reviewed.review.minimums
    ]


def write_csv(reviewed: ReviewedNight, folder: Path) -> tuple[Path, Path]:
    """Write both files into ``folder`` (made if missing); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    day = reviewed.day.isoformat()
    bookings, summary = folder / f"bookings-{day}.csv", folder / f"summary-{day}.csv"
    _write(bookings, BOOKING_COLUMNS, booking_rows(reviewed))
    _write(summary, SUMMARY_COLUMNS, summary_rows(reviewed))
    return bookings, summary


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def as_json(reviewed: ReviewedNight) -> dict[str, Any]:
    r = reviewed.review
    return {
        "night": r.day.isoformat(),
        "venue": reviewed.rules.venue.name,
        "history_nights": reviewed.history_nights,
        "figures": summary_rows(reviewed),
        "charts": [
            {
                "key": c.key,
                "title": c.title,
                "categories": list(c.categories),
                "series": {s.name: list(s.values) for s in c.series},
            }
            for c in charts(r)
        ],
        "areas": [asdict(a) for a in r.areas],
        "tables": [asdict(t) for t in r.tables],
        "incidents": [
            dict(zip(("time", "kind", "reference", "guest", "party", "detail"), row, strict=True))
            for row in incident_rows(reviewed)
        ],
        "minimum_spends": [
            dict(
                zip(
                    ("time", "reference", "guest", "tables", "minimum", "spent", "short_by"),
                    row,
                    strict=True,
                )
            )
            for row in minimum_rows(reviewed)
        ],
        "bookings": booking_rows(reviewed),
    }
