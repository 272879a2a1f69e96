"""A manager's edits of areas, tables and combinations, as the floor plan judges them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from app.domain.allocation import SeatingRequest, allocate
from app.domain.booking import Booking, BookingStatus
from app.domain.errors import InvalidInput
from app.domain.floor_edits import refuse_stranding, table_uses
from app.domain.floorplan import Area, Combination

SATURDAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def join(plan, *numbers, low=5, high=8, combo_id="new", name=""):
    ids = frozenset(plan.table_by_number(n).id for n in numbers)
    return Combination(combo_id, name, ids, low, high)


def booked_on(plan, venue, *numbers, party=9, hh=21, status=BookingStatus.CONFIRMED):
    return Booking(
        id=f"b-{hh}",
        venue_id="v",
        reference="ABCDEFGHJKM",
        customer_id="c",
        party_size=party,
        start=venue.wall_time_on(SATURDAY, time(hh)),
        duration_minutes=120,
        status=status,
        created_at=NOW,
        updated_at=NOW,
        table_ids=tuple(plan.table_by_number(n).id for n in numbers),
        combined=True,
    )


def test_a_party_of_seven_is_offered_4_and_5_once_a_manager_joins_them_for_5_to_8(venue, plan):
    edited = plan.with_combination(join(plan, 4, 5))

    seating = allocate(edited, [], SeatingRequest(7, venue.wall_time_on(SATURDAY, time(21)), 120))

    assert sorted(edited.table(t).number for t in seating.table_ids) == [4, 5]
    assert seating.combination.name == "4 + 5"


def test_tables_3_and_4_seat_six_so_a_combination_for_up_to_eight_is_refused(plan):
    with pytest.raises(InvalidInput) as refused:
        plan.with_combination(join(plan, 3, 4, low=5, high=8))

    assert refused.value.field == "party"
    assert "Tables 3 + 4 seat 6 at most" in str(refused.value)


def test_a_party_range_upside_down_is_refused_on_the_party_field(plan):
    with pytest.raises(InvalidInput) as refused:
        join(plan, 4, 5, low=8, high=5)

    assert refused.value.field == "party"


def test_a_second_combination_of_the_same_tables_is_refused(plan):
    with pytest.raises(InvalidInput) as refused:
        plan.with_combination(join(plan, 16, 15, low=8, high=10))

    assert "Tables 15 + 16 already combine for parties of 7–12" in str(refused.value)


def test_the_existing_combination_may_change_its_own_range(plan):
    existing = plan.combination_for(join(plan, 15, 16).table_ids)

    edited = plan.with_combination(join(plan, 15, 16, low=8, high=10, combo_id=existing.id))

    assert [(c.min_party, c.max_party) for c in edited.combinations] == [(8, 10)]


def test_a_retired_table_cannot_be_joined(plan):
    four = plan.table_by_number(4)
    retired = type(plan)(
        plan.areas, tuple(replace(t, active=False) if t is four else t for t in plan.tables)
    )

    with pytest.raises(InvalidInput) as refused:
        retired.with_combination(join(plan, 4, 5))

    assert "Table 4 is retired" in str(refused.value)


def test_an_area_name_must_be_new_and_not_blank(plan):
    booths = next(a for a in plan.areas if a.name == "Booths")

    with pytest.raises(InvalidInput) as blank:
        plan.with_area(Area("new", "   "))
    with pytest.raises(InvalidInput) as taken:
        plan.with_area(Area("new", "booths"))
    renamed = plan.with_area(Area(booths.id, "  The   Booths "))

    assert blank.value.field == taken.value.field == "name"
    assert "already an area called Booths" in str(taken.value)
    assert renamed.area(booths.id).name == "The Booths"


def test_an_area_with_tables_cannot_be_removed_and_the_tables_are_named(plan):
    booths = next(a for a in plan.areas if a.name == "Booths")

    with pytest.raises(InvalidInput) as refused:
        plan.without_area(booths.id)

    assert str(refused.value) == (
        "Booths still has tables 7, 8, 9, 10, 11; move or remove them first."
    )


def test_an_empty_area_can_be_removed(plan):
    added = plan.with_area(Area("terrace", "Terrace"))

    removed = added.without_area("terrace")

    assert [a.name for a in removed.areas] == [a.name for a in plan.areas]


def test_retiring_a_combination_a_future_booking_sits_on_is_refused_with_the_booking_named(
    venue, plan
):
    existing = plan.combination_for(join(plan, 15, 16).table_ids)
    uses = table_uses([booked_on(plan, venue, 15, 16)], NOW)

    with pytest.raises(InvalidInput) as refused:
        refuse_stranding(plan, plan.without_combination(existing.id), uses, venue)

    assert "ABCD-EFGH-JKM (tables 15 + 16, party of 9, Sat 28 Nov 21:00)" in str(refused.value)


def test_a_range_shrunk_past_a_booked_party_is_refused_but_one_that_still_fits_is_not(venue, plan):
    existing = plan.combination_for(join(plan, 15, 16).table_ids)
    uses = table_uses([booked_on(plan, venue, 15, 16, party=9)], NOW)
    narrower = plan.with_combination(join(plan, 15, 16, low=7, high=8, combo_id=existing.id))
    still = plan.with_combination(join(plan, 15, 16, low=9, high=10, combo_id=existing.id))

    with pytest.raises(InvalidInput):
        refuse_stranding(plan, narrower, uses, venue)
    refuse_stranding(plan, still, uses, venue)


def test_finished_and_cancelled_bookings_do_not_block_retiring_a_combination(venue, plan):
    existing = plan.combination_for(join(plan, 15, 16).table_ids)
    cancelled = booked_on(plan, venue, 15, 16, status=BookingStatus.CANCELLED)
    later = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    uses = table_uses([cancelled, booked_on(plan, venue, 15, 16, hh=19)], later)

    refuse_stranding(plan, plan.without_combination(existing.id), uses, venue)


def test_a_table_made_to_seat_fewer_than_the_party_booked_on_it_is_refused_naming_them(venue, plan):
    four = plan.table_by_number(4)
    uses = table_uses([booked_on(plan, venue, 4, party=4)], NOW)
    smaller = plan.with_table(replace(four, min_covers=1, max_covers=2))

    with pytest.raises(InvalidInput) as refused:
        refuse_stranding(plan, smaller, uses, venue, four.label)

    assert str(refused.value) == (
        "Booking ABCD-EFGH-JKM (table 4, party of 4, Sat 28 Nov 21:00) relies on Table 4; "
        "move it first."
    )


def test_a_table_retired_under_a_booking_is_refused_but_a_bigger_smallest_party_is_not(venue, plan):
    four = plan.table_by_number(4)
    uses = table_uses([booked_on(plan, venue, 4, party=2)], NOW)

    with pytest.raises(InvalidInput):
        refuse_stranding(plan, plan.with_table(replace(four, active=False)), uses, venue)
    refuse_stranding(plan, plan.with_table(replace(four, min_covers=3, max_covers=4)), uses, venue)


def test_a_table_cannot_shrink_below_what_its_combination_promises(plan):
    fifteen = plan.table_by_number(15)

    with pytest.raises(InvalidInput) as refused:
        plan.with_table(replace(fifteen, max_covers=4))

    assert refused.value.field == "covers"
    assert "Tables 15 + 16 combine for parties of up to 12" in str(refused.value)
    assert "they seat 10" in str(refused.value)


def test_a_table_may_not_take_another_active_tables_number_or_an_unknown_area(plan):
    four = plan.table_by_number(4)

    with pytest.raises(InvalidInput) as taken:
        plan.with_table(replace(four, number=5))
    with pytest.raises(InvalidInput) as nowhere:
        plan.with_table(replace(four, area_id="nowhere"))

    assert str(taken.value) == "Another table is already number 5."
    assert nowhere.value.field == "area"


def test_joined_tables_ask_for_both_their_minimum_spends(plan):
    fifteen, sixteen = plan.table_by_number(15), plan.table_by_number(16)
    priced = plan.with_table(replace(fifteen, min_spend_pence=10_000)).with_table(
        replace(sixteen, min_spend_pence=5_050)
    )

    assert priced.minimum_spend([fifteen.id]) == 10_000
    assert priced.minimum_spend([fifteen.id, sixteen.id]) == 15_050
    assert plan.minimum_spend([fifteen.id]) == 0


def test_a_minimum_spend_below_nothing_or_beyond_any_bar_is_refused(plan):
    four = plan.table_by_number(4)

    for pence in (-1, 10_000_001):
        with pytest.raises(InvalidInput) as refused:
            replace(four, min_spend_pence=pence)
        assert refused.value.field == "min_spend"
