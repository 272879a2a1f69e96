"""A plan file written from a venue and its plan reads back as the same venue and plan."""

from __future__ import annotations

import json
import uuid
from datetime import time

import pytest

from app.domain.deposits import Basis, Collection, DepositPolicy, Tier
from app.domain.floorplan import Area, Combination, FloorPlan, Shape, Table
from app.domain.plan_data import (
    deposit_policy_from_dict,
    floor_plan_from_dict,
    plan_file_dict,
    venue_from_dict,
)
from app.domain.venue import DurationRule, OpeningHours, Venue
from resources import BACKROOM_JSON


def read_back(data):
    through_json = json.loads(json.dumps(data))
    venue = through_json["venue"]
    return (
        venue_from_dict(venue),
        deposit_policy_from_dict(venue["deposit_policy"]),
        floor_plan_from_dict(through_json),
    )


def test_the_demo_plan_file_written_back_reads_as_the_same_venue_and_plan():
    demo = json.loads(BACKROOM_JSON.read_text())
    venue, policy, plan = read_back(demo)

    again = read_back(plan_file_dict(venue, policy, plan))

    assert again == (venue, policy, plan)
    assert [t.id for t in again[2].tables] == [t["id"] for t in demo["tables"]]


def test_a_venue_set_up_at_the_desk_keeps_every_id_setting_and_table_through_its_file():
    ids = [str(uuid.uuid4()) for _ in range(6)]
    venue = Venue(
        id=ids[0],
        name="The Snug",
        opening_hours={4: OpeningHours(time(17), time(2)), 5: OpeningHours(time(16), time(3))},
        durations=(DurationRule(4, 105), DurationRule(1000, 165)),
        slot_minutes=30,
        booking_horizon_days=90,
    )
    policy = DepositPolicy(
        tiers=(Tier(6, 500),),
        busy_weekdays=frozenset({5}),
        busy_tiers=(Tier(4, 500), Tier(8, 750)),
        basis=Basis.PER_BOOKING,
        walk_in_exempt=False,
        free_cancellation_hours=24,
        collection=Collection.GUARANTEE,
        link_minutes=60,
        version=3,
    )
    plan = FloorPlan(
        areas=(Area(ids[1], "Snug"), Area(ids[2], "Cellar", vip=True)),
        tables=(
            Table(ids[3], 1, ids[1], 2, 4, shape=Shape.ROUND, x=40.5, y=12.0, rotation=45.0),
            Table(ids[4], 2, ids[2], 2, 6, name="Vault", booth=True, min_spend_pence=15000),
            Table(str(uuid.uuid4()), 3, ids[2], 1, 2, active=False),
        ),
        combinations=(Combination(ids[5], "1+2", frozenset({ids[3], ids[4]}), 5, 10),),
    )

    again = read_back(plan_file_dict(venue, policy, plan))

    assert again == (venue, policy, plan)


def test_a_venue_s_reminder_hours_are_kept_in_its_file_and_default_to_a_day_and_three_hours(
    backroom_data,
):
    from app.domain.errors import InvalidInput
    from app.domain.plan_data import venue_from_dict, venue_to_dict

    plain = {k: v for k, v in backroom_data["venue"].items() if k != "reminder_hours"}
    own = venue_from_dict({**plain, "reminder_hours": [2, 48, 2]})

    assert venue_from_dict(plain).reminder_hours == (24, 3)
    assert own.reminder_hours == (48, 2)
    assert venue_to_dict(own, deposit_policy_from_dict(plain["deposit_policy"]))[
        "reminder_hours"
    ] == [48, 2]
    with pytest.raises(InvalidInput, match="between 1 hour and 14 days"):
        venue_from_dict({**plain, "reminder_hours": [0]})
