"""A party is a no-show only once its time has come: marked early by mistake, a no-show
would free the table and let a manager claim the guest's deposit for a night to come. And
a party is seated on its own night, not on one before it."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus
from app.domain.errors import DomainError

S = BookingStatus
# 20:00 in Leeds on a Saturday in December (GMT).
START = datetime(2026, 12, 12, 20, 0, tzinfo=UTC)


@pytest.fixture
def confirmed(plan):
    return Booking(
        id="b1",
        venue_id="v",
        reference="ABCDEFGHJK0",
        customer_id="c",
        party_size=4,
        start=START,
        duration_minutes=120,
        status=S.CONFIRMED,
        created_at=START - timedelta(days=9),
        updated_at=START - timedelta(days=9),
        table_ids=(plan.table_by_number(7).id,),
    )


@pytest.mark.parametrize("early", [timedelta(days=7), timedelta(minutes=1)])
def test_a_party_is_not_a_no_show_before_its_time(rules, confirmed, early):
    with pytest.raises(DomainError) as refused:
        kernel.set_status(rules, confirmed, S.NO_SHOW, at=START - early)

    assert str(refused.value) == (
        "Booking ABCD-EFGH-JK0 is for Sat 12 Dec, 20:00; a party can be marked a no-show "
        "only once its time has come."
    )


@pytest.mark.parametrize("late", [timedelta(0), timedelta(minutes=20)])
def test_a_party_is_a_no_show_from_its_time_on(rules, confirmed, late):
    marked = kernel.set_status(rules, confirmed, S.NO_SHOW, at=START + late)

    assert (marked.status, marked.updated_at) == (S.NO_SHOW, START + late)


@pytest.mark.parametrize("early", [timedelta(days=7), timedelta(hours=15)])
def test_a_party_is_not_seated_on_a_night_before_its_own(rules, confirmed, early):
    # 15 hours before 20:00 is 05:00, still the night before (the day turns at 06:00).
    with pytest.raises(DomainError) as refused:
        kernel.set_status(rules, confirmed, S.SEATED, at=START - early)

    assert str(refused.value) == (
        "Booking ABCD-EFGH-JK0 is for Sat 12 Dec, 20:00; a party is seated on its own night, "
        "not before."
    )


@pytest.mark.parametrize(
    "at",
    [START - timedelta(hours=13), START - timedelta(minutes=40), START + timedelta(days=1)],
)
def test_a_party_is_seated_early_on_its_night_or_written_up_after_it(rules, confirmed, at):
    seated = kernel.set_status(rules, confirmed, S.SEATED, at=at)

    assert seated.status is S.SEATED
