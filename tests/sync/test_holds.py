"""Holds while a booking form is open: taken, seen by others, renewed, released, timed locally."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.sync.holds import HoldKeeper, HoldRefused
from tests.sync.world import EVENING, TABLE


class Monotonic:
    """This machine's monotonic clock, moved by the test (the wall clock plays no part)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def keeper(desk, monotonic: Monotonic) -> HoldKeeper:
    return HoldKeeper(desk.engine.api, monotonic=monotonic, margin=15)


def test_a_hold_on_one_desk_refuses_the_other_and_shows_who_holds_the_table(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    clock = Monotonic()
    mine = keeper(reception, clock)

    hold = mine.acquire([str(TABLE[7])], EVENING, EVENING + timedelta(hours=2))
    with pytest.raises(HoldRefused) as refused:
        keeper(manager, clock).acquire([str(TABLE[7])], EVENING, EVENING + timedelta(hours=1))
    manager.engine.sync_once()

    assert "Reception is holding table 7" in str(refused.value)
    assert mine.fencing_token(hold) == hold.fencing_token
    from sqlalchemy import select

    from app.models.sync_tables import SyncHoldRow

    with manager.store.read() as reader:
        [shown] = [r.data for r in reader.session.scalars(select(SyncHoldRow))]
    assert shown["device_name"] == "Reception" and shown["table_ids"] == [str(TABLE[7])]


def test_a_hold_is_judged_lost_on_the_monotonic_clock_with_a_safety_margin(desks):
    desk = desks()
    clock = Monotonic()
    holds = keeper(desk, clock)
    hold = holds.acquire([str(TABLE[8])], EVENING, EVENING + timedelta(hours=2))

    clock.now += hold.lifetime - 16
    still = holds.fencing_token(hold)
    clock.now += 2

    assert 100 <= hold.lifetime <= 121
    assert still == hold.fencing_token
    assert holds.fencing_token(hold) is None


def test_renewing_while_the_form_is_open_keeps_the_hold_and_releasing_frees_the_table(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    clock = Monotonic()
    holds = keeper(reception, clock)
    hold = holds.acquire([str(TABLE[9])], EVENING, EVENING + timedelta(hours=2))
    clock.now += hold.lifetime * 0.6

    holds.renew_due()
    renewed_until = hold.deadline
    holds.release(hold)
    other = keeper(manager, clock).acquire([str(TABLE[9])], EVENING, EVENING + timedelta(hours=2))

    assert renewed_until > clock.now + 60
    assert holds.held() == []
    assert other.fencing_token > hold.fencing_token
