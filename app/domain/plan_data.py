"""A venue and its floor plan as plain data (the plan file, resources/backroom.json):
read here, and written back by the inverse functions below (``backroom plan export``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

# The policy's own reader and writer, named here too: a plan file carries the policy.
from app.domain.deposit_policy_data import deposit_policy_from_dict as deposit_policy_from_dict
from app.domain.deposit_policy_data import deposit_policy_to_dict
from app.domain.deposits import DepositPolicy
from app.domain.floorplan import Area, Combination, FloorPlan, Shape, Table
from app.domain.messages.reminders import check_hours
from app.domain.venue import DEFAULT_REMINDER_HOURS, DurationRule, OpeningHours, Venue


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def venue_from_dict(data: Mapping[str, Any]) -> Venue:
    return Venue(
        id=data["id"],
        name=data["name"],
        timezone=data.get("timezone", "Europe/London"),
        day_boundary=_time(data.get("day_boundary", "06:00")),
        opening_hours={
            int(day): OpeningHours(_time(h["opens"]), _time(h["closes"]))
            for day, h in data.get("opening_hours", {}).items()
        },
        durations=tuple(DurationRule(d["max_party"], d["minutes"]) for d in data["durations"]),
        slot_minutes=data.get("slot_minutes", 15),
        booking_horizon_days=data.get("booking_horizon_days", 365),
        reminder_hours=check_hours(data.get("reminder_hours", list(DEFAULT_REMINDER_HOURS))),
    )


def table_from_dict(d: Mapping[str, Any]) -> Table:
    return Table(
        id=d["id"],
        number=d["number"],
        name=d.get("name", ""),
        area_id=d["area_id"],
        min_covers=d["min_covers"],
        max_covers=d["max_covers"],
        shape=Shape(d.get("shape", "square")),
        x=d.get("x", 0.0),
        y=d.get("y", 0.0),
        width=d.get("width", 60.0),
        height=d.get("height", 60.0),
        rotation=d.get("rotation", 0.0),
        booth=d.get("booth", False),
        vip=d.get("vip", False),
        active=d.get("active", True),
        min_spend_pence=d.get("min_spend_pence", 0),
    )


def floor_plan_from_dict(data: Mapping[str, Any]) -> FloorPlan:
    return FloorPlan(
        areas=tuple(Area(a["id"], a["name"], a.get("vip", False)) for a in data["areas"]),
        tables=tuple(table_from_dict(t) for t in data["tables"]),
        combinations=tuple(
            Combination(
                id=c["id"],
                name=c["name"],
                table_ids=frozenset(c["table_ids"]),
                min_party=c["min_party"],
                max_party=c["max_party"],
                strategy=c.get("strategy", "COMBINED"),
            )
            for c in data.get("combinations", [])
        ),
    )


# --- the inverse: a venue and its plan written as a plan file -------------------------


def _clock(value: time) -> str:
    return f"{value:%H:%M}"


def venue_to_dict(venue: Venue, deposits: DepositPolicy) -> dict[str, Any]:
    return {
        "id": venue.id,
        "name": venue.name,
        "timezone": venue.timezone,
        "day_boundary": _clock(venue.day_boundary),
        "slot_minutes": venue.slot_minutes,
        "booking_horizon_days": venue.booking_horizon_days,
        "reminder_hours": list(venue.reminder_hours),
        "opening_hours": {
            str(day): {"opens": _clock(h.opens), "closes": _clock(h.closes)}
            for day, h in sorted(venue.opening_hours.items())
        },
        "durations": [{"max_party": d.max_party, "minutes": d.minutes} for d in venue.durations],
        "deposit_policy": deposit_policy_to_dict(deposits),
    }


def table_to_dict(t: Table) -> dict[str, Any]:
    return {
        "id": t.id,
        "number": t.number,
        "name": t.name,
        "area_id": t.area_id,
        "min_covers": t.min_covers,
        "max_covers": t.max_covers,
        "shape": t.shape.value,
        "x": t.x,
        "y": t.y,
        "width": t.width,
        "height": t.height,
        "rotation": t.rotation,
        "booth": t.booth,
        "vip": t.vip,
        "active": t.active,
        "min_spend_pence": t.min_spend_pence,
    }


def floor_plan_to_dict(plan: FloorPlan) -> dict[str, Any]:
    return {
        "areas": [{"id": a.id, "name": a.name, "vip": a.vip} for a in plan.areas],
        "tables": [table_to_dict(t) for t in plan.tables],
        "combinations": [
            {
                "id": c.id,
                "name": c.name,
                "table_ids": sorted(c.table_ids),
                "min_party": c.min_party,
                "max_party": c.max_party,
                "strategy": c.strategy,
            }
            for c in plan.combinations
        ],
    }


def plan_file_dict(venue: Venue, deposits: DepositPolicy, plan: FloorPlan) -> dict[str, Any]:
    """The whole plan file (resources/backroom.json's shape): what ``venue_from_dict``,
    ``deposit_policy_from_dict`` and ``floor_plan_from_dict`` read back unchanged."""
    return {"venue": venue_to_dict(venue, deposits), **floor_plan_to_dict(plan)}
