"""An unpaid deposit past its link's deadline releases the booking's tables, in the domain
alone: only a booking still pending for that link's deposit, through the status machine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.errors import InvalidInput
from app.domain.kernel.deposit_expiry import expiry_reason, released
from app.domain.plan_data import deposit_policy_from_dict, deposit_policy_to_dict

S = BookingStatus
D = DepositState
# The link's deadline: 21:30 on a winter evening (GMT), the party booked for 22:00.
DEADLINE = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)


@pytest.fixture
def owing(plan) -> Booking:
    tables = tuple(plan.table_by_number(n).id for n in (15, 16))
    return Booking(
        id="b1",
        venue_id="v",
        reference="ABCDEFGHJK0",
        customer_id="c",
        party_size=8,
        start=DEADLINE + timedelta(minutes=30),
        duration_minutes=120,
        status=S.PENDING,
        created_at=DEADLINE - timedelta(hours=2),
        updated_at=DEADLINE - timedelta(hours=2),
        table_ids=tables,
        combined=True,
        deposit_state=D.REQUESTED,
        deposit_pence=8000,
    )


def test_a_pending_booking_whose_link_expired_unpaid_is_cancelled_and_holds_no_table(rules, owing):
    after = released(rules, owing, expires_at=DEADLINE, latest=True, at=DEADLINE)

    assert after.status is S.CANCELLED
    assert not after.holds_tables
    assert after.updated_at == DEADLINE
    assert (after.id, after.reference, after.party_size) == ("b1", "ABCDEFGHJK0", 8)


def test_the_deposit_owed_again_after_the_link_lapsed_still_releases_it(rules, owing):
    lapsed = replace(owing, deposit_state=D.REQUIRED)

    assert released(rules, lapsed, expires_at=DEADLINE, latest=True, at=DEADLINE).status is (
        S.CANCELLED
    )


@pytest.mark.parametrize(
    ("status", "deposit"),
    [
        (S.CONFIRMED, D.PAID),  # paid at the bar or online
        (S.CONFIRMED, D.WAIVED),
        (S.SEATED, D.PAID),
        (S.CONFIRMED, D.REQUIRED),  # confirmed before a larger party's deposit was asked
        (S.CANCELLED, D.REQUESTED),
        (S.WAITLISTED, D.REQUESTED),
        (S.CONFLICT, D.REQUESTED),
    ],
)
def test_a_booking_settled_seated_or_not_pending_is_left_as_it_is(rules, owing, status, deposit):
    b = replace(owing, status=status, deposit_state=deposit)

    assert released(rules, b, expires_at=DEADLINE, latest=True, at=DEADLINE) == b


def test_a_link_replaced_by_a_newer_one_releases_nothing(rules, owing):
    assert released(rules, owing, expires_at=DEADLINE, latest=False, at=DEADLINE) == owing


def test_a_booking_whose_time_is_over_is_left_for_staff(rules, owing):
    over = owing.end

    assert released(rules, owing, expires_at=DEADLINE, latest=True, at=over) == owing


def test_a_grace_period_holds_the_tables_until_it_is_over(rules, owing):
    graced = replace(rules, deposits=replace(rules.deposits, expiry_grace_minutes=20))

    before = released(graced, owing, expires_at=DEADLINE, latest=True, at=DEADLINE)
    almost = DEADLINE + timedelta(minutes=19, seconds=59)
    during = released(graced, owing, expires_at=DEADLINE, latest=True, at=almost)
    over = released(
        graced, owing, expires_at=DEADLINE, latest=True, at=DEADLINE + timedelta(minutes=20)
    )

    assert (before, during) == (owing, owing)
    assert over.status is S.CANCELLED


def test_the_reason_names_the_deadline_in_the_venues_time(venue):
    summer = datetime(2026, 7, 4, 20, 30, tzinfo=UTC)  # 21:30 in London (BST)

    assert expiry_reason(venue, summer) == (
        "Deposit not paid: the payment link expired at 21:30 (Europe/London)."
    )
    assert "expired at 21:30" in expiry_reason(venue, DEADLINE)


def test_a_grace_period_is_venue_policy_data_read_and_written_back(backroom_data):
    stored = {**backroom_data["venue"]["deposit_policy"], "expiry_grace_minutes": 15}

    policy = deposit_policy_from_dict(stored)

    assert policy.expiry_grace_minutes == 15
    assert deposit_policy_from_dict(deposit_policy_to_dict(policy)) == policy
    assert (
        deposit_policy_from_dict(backroom_data["venue"]["deposit_policy"]).expiry_grace_minutes == 0
    )


@pytest.mark.parametrize("bad", [-1, 24 * 60 + 1, 2.5, "10", True])
def test_a_grace_period_outside_a_day_or_not_whole_minutes_is_refused(backroom_data, bad):
    stored = {**backroom_data["venue"]["deposit_policy"], "expiry_grace_minutes": bad}

    with pytest.raises(InvalidInput, match="grace period"):
        deposit_policy_from_dict(stored)
