"""A party is a no-show only once its time has come: marked early by mistake, a no-show
would free the table and let a manager claim the guest's deposit for a night to come. And
a party is seated on its own night, not on one before it."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import kernel
from app.domain.booking import BookingStatus
from app.domain.errors import DomainError
from tests.unit.bookings import a_booking

S = BookingStatus
# 20:00 in Leeds on a Saturday in December (GMT).
START = datetime(2026, 12, 12, 20, 0, tzinfo=UTC)


@pytest.fixture
def confirmed(plan):
    booked = START - timedelta(days=9)
    seven = (plan.table_by_number(7).id,)
    return a_booking(START, S.CONFIRMED, created_at=booked, updated_at=booked, table_ids=seven)


NO_SHOW_EARLY = "a party can be marked a no-show only once its time has come."
SEATED_EARLY = "a party is seated on its own night, not before."


@pytest.mark.parametrize(
    ("status", "early", "why"),
    [
        (S.NO_SHOW, timedelta(days=7), NO_SHOW_EARLY),
        (S.NO_SHOW, timedelta(minutes=1), NO_SHOW_EARLY),
        (S.SEATED, timedelta(days=7), SEATED_EARLY),
        # 05:00, still the night before: the venue's day turns at 06:00.
        (S.SEATED, timedelta(hours=15), SEATED_EARLY),
    ],
)
def test_a_party_is_not_marked_before_its_time_nor_seated_before_its_night(
    rules, confirmed, status, early, why
):
    with pytest.raises(DomainError) as refused:
        kernel.set_status(rules, confirmed, status, at=START - early)

    assert str(refused.value) == f"Booking ABCD-EFGH-JK0 is for Sat 12 Dec, 20:00; {why}"


@pytest.mark.parametrize("late", [timedelta(0), timedelta(minutes=20)])
def test_a_party_is_a_no_show_from_its_time_on(rules, confirmed, late):
    marked = kernel.set_status(rules, confirmed, S.NO_SHOW, at=START + late)

    assert (marked.status, marked.updated_at) == (S.NO_SHOW, START + late)


@pytest.mark.parametrize(
    "at",
    [START - timedelta(hours=13), START - timedelta(minutes=40), START + timedelta(days=1)],
)
def test_a_party_is_seated_early_on_its_night_or_written_up_after_it(rules, confirmed, at):
    seated = kernel.set_status(rules, confirmed, S.SEATED, at=at)

    assert seated.status is S.SEATED


def test_the_refusal_a_desk_shows_beside_a_move_is_the_kernels_own_and_empty_when_allowed(
    rules, confirmed
):
    early, late = START - timedelta(hours=1), START + timedelta(minutes=20)

    assert kernel.status_refusal(rules, confirmed, S.NO_SHOW, at=early) == (
        f"Booking ABCD-EFGH-JK0 is for Sat 12 Dec, 20:00; {NO_SHOW_EARLY}"
    )
    assert kernel.status_refusal(rules, confirmed, S.NO_SHOW, at=late) == ""
    assert kernel.status_refusal(rules, confirmed, S.CONFIRMED, at=late) == (
        "Booking ABCD-EFGH-JK0 is already confirmed."
    )
    assert "cannot move from confirmed to completed" in kernel.status_refusal(
        rules, confirmed, S.COMPLETED, at=late
    )
