"""Read a venue and its floor plan from plain data (the JSON in resources/)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from typing import Any

from app.domain.deposit_links import DEFAULT_LINK_MINUTES, check_link_minutes
from app.domain.deposits import DepositPolicy
from app.domain.floorplan import Area, Combination, FloorPlan, Shape, Table
from app.domain.venue import DurationRule, OpeningHours, Venue


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
    )


def deposit_policy_from_dict(data: Mapping[str, Any]) -> DepositPolicy:
    return DepositPolicy(
        per_head_pence=data["per_head_pence"],
        min_party=data["min_party"],
        busy_weekdays=frozenset(data["busy_weekdays"]),
        busy_min_party=data.get("busy_min_party", data["min_party"]),
        vip_exempt=data["vip_exempt"],
        link_minutes=check_link_minutes(data.get("link_minutes", DEFAULT_LINK_MINUTES)),
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
