"""A waitlisted party promoted onto a table in one step (the server acting on a guest's
"1" to an offer): its time moves to the offer's, it holds the tables, and it is
confirmed unless a deposit still stands in the way."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.errors import DomainError

S = BookingStatus
# Wednesday 25 November 2026, 20:00 in London.
NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


@pytest.fixture
def waiting():
    return Booking(
        id="b1",
        venue_id="v",
        reference="ABCDEFGHJK0",
        customer_id="c",
        party_size=2,
        start=NOW,
        duration_minutes=90,
        status=S.WAITLISTED,
        created_at=NOW,
        updated_at=NOW,
    )


def test_the_party_takes_the_offered_table_at_the_offered_time(rules, plan, waiting):
    seven = plan.table_by_number(7).id
    later = NOW + timedelta(minutes=30)

    after = kernel.promoted(rules, waiting, table_ids=(seven,), start=later, at=NOW)

    assert (after.status, after.table_ids, after.start, after.duration_minutes) == (
        S.CONFIRMED,
        (seven,),
        later,
        90,
    )


def test_a_party_that_still_owes_its_deposit_is_pending_on_the_table(rules, plan, waiting):
    seven = plan.table_by_number(7).id
    owing = replace(waiting, deposit_pence=2000, deposit_state=DepositState.REQUIRED)

    after = kernel.promoted(rules, owing, table_ids=(seven,), start=NOW, at=NOW)

    assert (after.status, after.table_ids) == (S.PENDING, (seven,))


def test_a_party_no_longer_on_the_waitlist_is_not_promoted(rules, plan, waiting):
    seven = plan.table_by_number(7).id
    with pytest.raises(DomainError, match="is not on the waitlist"):
        kernel.promoted(
            rules, replace(waiting, status=S.CONFIRMED), table_ids=(seven,), start=NOW, at=NOW
        )
