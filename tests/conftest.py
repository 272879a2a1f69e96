"""Shared test set-up: Qt offscreen, a controllable clock, The Backroom's data."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain.plan_data import floor_plan_from_dict, venue_from_dict
from resources import BACKROOM_JSON


class FakeClock:
    """A clock the test moves by hand: the port every use case takes."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def backroom_data() -> dict:
    return json.loads(BACKROOM_JSON.read_text())


@pytest.fixture
def venue(backroom_data):
    return venue_from_dict(backroom_data["venue"])


@pytest.fixture
def plan(backroom_data):
    return floor_plan_from_dict(backroom_data)


@pytest.fixture
def clock() -> FakeClock:
    # A Wednesday afternoon, before the night's service.
    return FakeClock(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
