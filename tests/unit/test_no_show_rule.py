"""A party is a no-show only once its time has come: marked early by mistake, a no-show
would free the table and let a manager claim the guest's deposit for a night to come."""

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
