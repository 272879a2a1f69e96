"""Fixtures the kernel's rule tests share."""

from __future__ import annotations

import pytest

from app.domain.plan_data import deposit_policy_from_dict
from app.domain.rules import VenueRules


@pytest.fixture
def rules(venue, plan, backroom_data) -> VenueRules:
    """The Backroom's hours, floor plan and deposit policy, as resources/backroom.json has
    them."""
    return VenueRules(
        venue, plan, deposit_policy_from_dict(backroom_data["venue"]["deposit_policy"])
    )
