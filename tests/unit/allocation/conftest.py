"""The demo floor plan, a Saturday night, and a booking factory for allocation tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.domain.allocation import SlotClock
from app.domain.booking import Booking, BookingStatus
from app.domain.floorplan import FloorPlan
from app.domain.plan_data import floor_plan_from_dict, venue_from_dict
from app.domain.venue import Venue

RESOURCES = Path(__file__).resolve().parents[3] / "resources" / "backroom.json"
SATURDAY = date(2026, 11, 28)

MakeBooking = Callable[..., Booking]


@pytest.fixture(scope="session")
def demo() -> dict:
    return json.loads(RESOURCES.read_text())


@pytest.fixture(scope="session")
def cp_sat() -> Callable[..., Any]:
    """The exact oracle's ``solve``, where OR-Tools (the bench extra) is installed."""
    pytest.importorskip("ortools", reason="the exact oracle needs OR-Tools (the bench extra)")
    from tests.oracles.exact import solve

    return solve


@pytest.fixture(scope="session")
def plan(demo: dict) -> FloorPlan:
    return floor_plan_from_dict(demo)


@pytest.fixture(scope="session")
def venue(demo: dict) -> Venue:
    return venue_from_dict(demo["venue"])


@pytest.fixture(scope="session")
def clock(venue: Venue) -> SlotClock:
    return SlotClock.for_night(venue, SATURDAY)


@pytest.fixture(scope="session")
def at(venue: Venue) -> Callable[[str], datetime]:
    """``at("21:30")`` is 21:30 on the Saturday night (``"01:00"`` is after midnight)."""

    def instant(hhmm: str) -> datetime:
        hours, minutes = (int(x) for x in hhmm.split(":"))
        from datetime import time

        return venue.wall_time_on(SATURDAY, time(hours, minutes))

    return instant


@pytest.fixture(scope="session")
def make_booking(plan: FloorPlan, at: Callable[[str], datetime]) -> MakeBooking:
    created = datetime(2026, 11, 1, tzinfo=UTC)

    def make(
        booking_id: str,
        party_size: int,
        start: str | datetime,
        minutes: int = 120,
        tables: tuple[int, ...] = (),
        status: BookingStatus = BookingStatus.CONFIRMED,
        customer_id: str | None = None,
    ) -> Booking:
        table_ids = tuple(plan.table_by_number(n).id for n in tables)
        return Booking(
            id=booking_id,
            venue_id="venue",
            reference="REF",
            customer_id=customer_id or f"customer-{booking_id}",
            party_size=party_size,
            start=at(start) if isinstance(start, str) else start,
            duration_minutes=minutes,
            status=status,
            created_at=created,
            updated_at=created,
            table_ids=table_ids,
            combined=len(table_ids) > 1,
        )

    return make
