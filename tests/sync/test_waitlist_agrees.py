"""Two desks that synced the same waitlist entries at different times rank them the same and
give each the same score: waiting time counts from when the party joined the waitlist (a
synced fact), not from when this desk first heard of it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from tests.sync.world import EVENING

OCCASIONS = ("", "", "birthday", "anniversary")


def ranking(desk, at):
    desk.clock.now = at
    return [
        (e.booking.id, e.score.total, e.score.components)
        for e in desk.desk.queries.waitlist(desk.desk.queries.tonight())
    ]


@pytest.mark.parametrize("seed", range(4))
def test_the_waitlist_ranks_and_scores_alike_on_desks_that_synced_at_different_times(desks, seed):
    rng = random.Random(seed)
    reception, laptop = desks("Reception"), desks("Manager laptop")
    added = 0
    for _ in range(rng.randint(2, 4)):
        joining = rng.choice((reception, laptop))
        for _ in range(rng.randint(1, 3)):
            added += 1
            guest = rng.randrange(40)  # some guests come back
            joining.desk.create.add_to_waitlist(
                joining.staff(Role.RECEPTION),
                NewBooking(
                    name=f"Guest {seed}-{guest}",
                    phone=f"0113 496 {guest:04d}",
                    party_size=rng.randint(1, 6),
                    start=EVENING + timedelta(minutes=15 * rng.randrange(8)),
                    occasion=rng.choice(OCCASIONS),
                ),
            )
        # Each desk hears of the new entries when it happens to sync, minutes apart.
        for desk in rng.sample((reception, laptop), 2):
            desk.clock.advance(minutes=rng.randint(1, 40))
            desk.engine.sync_once()
    for desk in (reception, laptop):
        desk.engine.sync_once()

    later = max(reception.clock.now, laptop.clock.now) + timedelta(minutes=7)
    on_reception, on_laptop = ranking(reception, later), ranking(laptop, later)

    assert len(on_reception) == added
    assert on_reception == on_laptop
