"""A late cancellation is one outside the free window of the deposit policy the booking was
priced under: one rule for the review's count and a manager's claim."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_actions import check_claim
from app.domain.deposits import DepositPolicy, PolicyVersions
from app.domain.errors import DomainError
from app.domain.review import visit_from_trail

START = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
MADE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TWO_DAYS = DepositPolicy(free_cancellation_hours=48, version=1)
ONE_DAY = DepositPolicy(free_cancellation_hours=24, version=2)


def cancelled(hours_before: float, version: int = 1) -> Booking:
    at = START - timedelta(hours=hours_before)
    return Booking(
        id="b",
        venue_id="v",
        reference="R1",
        customer_id="c",
        party_size=6,
        start=START,
        duration_minutes=120,
        status=BookingStatus.CANCELLED,
        created_at=MADE,
        updated_at=at,
        deposit_state=DepositState.HELD,
        deposit_pence=6000,
        deposit_policy_version=version,
    )


def late(b: Booking, policy: DepositPolicy) -> bool:
    trail = [(MADE, "confirmed"), (b.updated_at, "cancelled")]
    return visit_from_trail(b, "Eve Eden", trail, policy).late_cancel


@pytest.mark.parametrize(
    ("hours_before", "two_day_window", "one_day_window"),
    [
        (50, False, False),
        (48, False, False),
        (47.5, True, False),
        (30, True, False),
        (2, True, True),
    ],
)
def test_a_cancellation_is_late_after_the_free_window_of_its_policy(
    hours_before, two_day_window, one_day_window
):
    b = cancelled(hours_before)

    assert late(b, TWO_DAYS) is two_day_window
    assert late(b, ONE_DAY) is one_day_window


def test_the_review_and_a_managers_claim_agree_on_which_cancellation_is_late():
    thirty_hours, fifty_hours = cancelled(30), cancelled(50)

    assert late(thirty_hours, TWO_DAYS)
    check_claim(thirty_hours, 6000, "GBP", TWO_DAYS)
    assert not late(fifty_hours, TWO_DAYS)
    with pytest.raises(DomainError, match="cancelled in good time"):
        check_claim(fifty_hours, 6000, "GBP", TWO_DAYS)


def test_a_booking_is_judged_by_the_policy_version_it_was_priced_under():
    versions = PolicyVersions(current=ONE_DAY, known={1: TWO_DAYS, 2: ONE_DAY})

    assert versions.of(1) is TWO_DAYS
    assert versions.of(2) is ONE_DAY
    # Priced before versions: the stored policy became version 1 unchanged.
    assert versions.of(0) is TWO_DAYS


def test_a_version_this_desk_has_not_pulled_is_judged_by_the_policy_it_prices_by():
    versions = PolicyVersions(current=ONE_DAY)

    assert versions.of(1) is ONE_DAY
    assert versions.of(7) is ONE_DAY
