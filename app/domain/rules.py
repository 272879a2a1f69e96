"""What judging a change needs to know about a venue: its hours, its floor plan, its prices."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.deposits import DepositPolicy
from app.domain.floorplan import FloorPlan
from app.domain.venue import Venue


@dataclass(frozen=True, slots=True)
class VenueRules:
    """The same on a desk (from its local copy) and on the server (from its stored venue)."""

    venue: Venue
    plan: FloorPlan
    deposits: DepositPolicy
