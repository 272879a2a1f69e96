"""Realistic, seeded bar nights for the allocation benchmark.

Floor plans of 16 (The Backroom), 24 and 40 tables with joins; a party-size
mix weighted to groups; two arrival waves (early evening and late); durations
rising with party size; requests in booking order (not start order);
cancellations, no-shows and walk-ins; demand scaled to a load level.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from app.domain.floorplan import Area, Combination, FloorPlan, Table
from app.domain.plan_data import floor_plan_from_dict, venue_from_dict
from app.domain.venue import Venue

ROOT = Path(__file__).resolve().parents[1]
NIGHT = date(2026, 11, 28)  # a Saturday
SIZES = {1: 2, 2: 18, 3: 9, 4: 20, 5: 10, 6: 14, 7: 6, 8: 7, 9: 4, 10: 5, 11: 2, 12: 3}
# A packed Saturday: more twos and fours, arriving all evening, so that 40 tables
# end up holding about 150 bookings.
PACKED_SIZES = {1: 3, 2: 25, 3: 12, 4: 22, 5: 8, 6: 10, 7: 4, 8: 5, 9: 3, 10: 3, 11: 1, 12: 2}
PACKED_LOAD = 4.0
CANCEL_RATE = 0.08
NO_SHOW_RATE = 0.05
WALK_IN_SHARE = 0.12


def demo() -> tuple[Venue, FloorPlan]:
    data = json.loads((ROOT / "resources" / "backroom.json").read_text())
    return venue_from_dict(data["venue"]), floor_plan_from_dict(data)


def floor(tables: int) -> FloorPlan:
    """16: the demo plan; 24 and 40: the same kinds of table in bigger rooms."""
    if tables == 16:
        return demo()[1]
    kinds = {  # (min, max, vip, combinable pairs)
        24: {"1-2": 6, "2-4": 8, "4-6": 5, "pairs": 2, "vip": 1},
        40: {"1-2": 9, "2-4": 15, "4-6": 8, "pairs": 3, "vip": 2},
    }[tables]
    areas = (Area("main", "Main"), Area("vip", "VIP", vip=True))
    made: list[Table] = []

    def add(low: int, high: int, area: str = "main") -> Table:
        table = Table(f"t{len(made) + 1}", len(made) + 1, area, low, high)
        made.append(table)
        return table

    for _ in range(kinds["1-2"]):
        add(1, 2)
    for _ in range(kinds["2-4"]):
        add(2, 4)
    for _ in range(kinds["4-6"]):
        add(4, 6)
    combos = []
    for n in range(kinds["pairs"]):
        a, b = add(4, 6), add(3, 6)
        combos.append(
            Combination(f"c{n}", f"{a.number} + {b.number}", frozenset({a.id, b.id}), 7, 12)
        )
    for _ in range(kinds["vip"]):
        add(6, 10, "vip")
    assert len(made) == tables, len(made)
    return FloorPlan(areas, tuple(made), tuple(combos))


@dataclass(frozen=True)
class Request:
    key: str
    party_size: int
    start: datetime
    minutes: int
    vip: bool
    walk_in: bool
    cancels: bool
    no_show: bool
    # Position in booking order; a cancellation comes later at ``cancel_order``.
    order: float
    cancel_order: float


def night(
    venue: Venue, plan: FloorPlan, load: float, seed: int, packed: bool = False
) -> list[Request]:
    """Requests whose seat-minutes are ``load`` × the floor's seat-minutes 18:00–01:00.

    ``packed``: the packed-Saturday mix (``PACKED_SIZES``), starts spread evenly
    from 17:00 to the last start that ends by 03:00, instead of two waves.
    """
    rng = random.Random(seed)
    opens = venue.wall_time_on(NIGHT, time(17, 0))
    closes = venue.wall_time_on(NIGHT, time(3, 0))
    capacity = sum(t.max_covers for t in plan.tables if t.active and not t.vip) * 7 * 60
    sizes, weights = zip(*(PACKED_SIZES if packed else SIZES).items(), strict=True)
    requests: list[Request] = []
    demand = 0.0
    while demand < load * capacity:
        party = rng.choices(sizes, weights)[0]
        minutes = venue.default_duration(party)
        if packed:
            quarters = int((closes - opens).total_seconds() // 900) - minutes // 15
            start = opens + timedelta(minutes=15 * rng.randrange(0, quarters + 1))
        else:
            wave = (19, 30) if rng.random() < 0.6 else (22, 30)
            centre = venue.wall_time_on(NIGHT, time(*wave))
            offset = int(rng.gauss(0, 50) // 15) * 15
            start = min(
                max(centre + timedelta(minutes=offset), opens),
                closes - timedelta(minutes=minutes),
            )
        walk_in = rng.random() < WALK_IN_SHARE and party <= 6
        order = rng.random()
        requests.append(
            Request(
                key=f"r{len(requests)}",
                party_size=party,
                start=start,
                minutes=minutes,
                vip=rng.random() < 0.04,
                walk_in=walk_in,
                cancels=not walk_in and rng.random() < CANCEL_RATE,
                no_show=not walk_in and rng.random() < NO_SHOW_RATE,
                order=2.0 if walk_in else order,
                cancel_order=order + (1 - order) * rng.random(),
            )
        )
        demand += party * minutes
    return requests
