"""A party's spend against its tables' minimum: recorded once they sat down, in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus
from app.domain.errors import DomainError, EditAfterCancel, InvalidInput
from app.domain.spend import Against, against, night_spend

S = BookingStatus
AT = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)


def booking(plan, *numbers, status=S.SEATED, spend=None, n=1):
    return Booking(
        id=f"b{n}",
        venue_id="v",
        reference="ABCDEFGHJKM",
        customer_id="c",
        party_size=6,
        start=datetime(2026, 11, 28, 20, 0, tzinfo=UTC),
        duration_minutes=120,
        status=status,
        created_at=AT,
        updated_at=AT,
        table_ids=tuple(plan.table_by_number(x).id for x in numbers),
        spend_pence=spend,
    )


def test_a_seated_party_s_spend_is_recorded_and_a_later_total_replaces_it(plan):
    seated = booking(plan, 12)

    first = kernel.spent(seated, 12_000, at=AT)
    later = kernel.spent(replace(first, status=S.COMPLETED), 23_450, at=AT)

    assert (first.spend_pence, later.spend_pence) == (12_000, 23_450)
    assert first.updated_at == AT


@pytest.mark.parametrize("status", [S.PENDING, S.CONFIRMED, S.WAITLISTED, S.NO_SHOW])
def test_no_spend_is_recorded_for_a_party_that_has_not_sat_down(plan, status):
    with pytest.raises(DomainError) as refused:
        kernel.spent(booking(plan, 12, status=status), 5_000, at=AT)

    assert "a spend is recorded once the party is seated" in str(refused.value)


def test_a_spend_on_a_cancelled_booking_is_an_edit_after_cancel(plan):
    with pytest.raises(EditAfterCancel):
        kernel.spent(booking(plan, 12, status=S.CANCELLED), 5_000, at=AT)


def test_a_spend_below_nothing_or_beyond_any_night_is_refused_on_the_spend(plan):
    for pence in (-1, 10_000_001):
        with pytest.raises(InvalidInput) as refused:
            kernel.spent(booking(plan, 12), pence, at=AT)
        assert refused.value.field == "spend"


def test_the_words_say_how_far_the_party_is_from_its_minimum():
    assert Against(20_000, None).words() == "minimum spend £200.00"
    assert Against(20_000, 15_000).words() == "£150.00 spent of a £200.00 minimum (£50.00 to go)"
    assert Against(20_000, 20_050).words() == "£200.50 spent of a £200.00 minimum (met)"
    assert Against(0, 4_000).words() == "£40.00 spent"
    assert Against(0, None).words() == ""


def test_the_minimum_is_the_tables_own_and_a_booking_without_tables_has_none(plan):
    # The Backroom's table 12, the VIP Snug, is sold with a £200 minimum.
    assert against(plan, booking(plan, 12)).minimum_pence == 20_000
    assert against(plan, booking(plan, 4)).minimum_pence == 0
    assert against(plan, booking(plan)).minimum_pence == 0


def test_a_night_counts_minimums_met_short_and_not_recorded_and_what_was_short(plan):
    night = [
        booking(plan, 12, spend=25_000, n=1),
        booking(plan, 12, spend=12_000, n=2, status=S.COMPLETED),
        booking(plan, 12, n=3),
        booking(plan, 12, spend=50_000, n=4, status=S.CANCELLED),
        booking(plan, 4, spend=3_000, n=5),
    ]

    figures = night_spend(plan, night)

    assert (figures.with_minimum, figures.met, figures.short, figures.not_recorded) == (
        3,
        1,
        1,
        1,
    )
    assert figures.short_pence == 8_000
    assert figures.spend_pence == 25_000 + 12_000 + 3_000
