from datetime import UTC, date, datetime, time

import pytest

from app.domain.errors import InvalidInput

OCTOBER_NIGHT = date(2026, 10, 24)  # clocks go back at 02:00 BST on Sunday 25 October


def test_a_booking_at_half_past_one_belongs_to_the_previous_evening(venue):
    saturday_1_30 = datetime(2026, 11, 29, 1, 30, tzinfo=UTC)

    assert venue.service_day(saturday_1_30) == date(2026, 11, 28)


def test_a_booking_at_six_in_the_evening_belongs_to_that_day(venue):
    assert venue.service_day(datetime(2026, 11, 28, 18, 0, tzinfo=UTC)) == date(2026, 11, 28)


def test_both_half_past_ones_of_the_october_night_are_distinct_instants(venue):
    first = venue.wall_time_on(OCTOBER_NIGHT, time(1, 30), fold=0)
    second = venue.wall_time_on(OCTOBER_NIGHT, time(1, 30), fold=1)

    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_repeated_hour_is_shown_with_its_zone_so_staff_can_tell_them_apart(venue):
    first = venue.wall_time_on(OCTOBER_NIGHT, time(1, 30), fold=0)
    second = venue.wall_time_on(OCTOBER_NIGHT, time(1, 30), fold=1)

    assert venue.show_time(first) == "01:30 BST"
    assert venue.show_time(second) == "01:30 GMT"
    assert venue.show_time(venue.wall_time_on(OCTOBER_NIGHT, time(21, 0))) == "21:00"


def test_both_half_past_ones_count_towards_the_saturday_night(venue):
    first = venue.wall_time_on(OCTOBER_NIGHT, time(1, 30), fold=0)
    second = venue.wall_time_on(OCTOBER_NIGHT, time(1, 30), fold=1)

    assert venue.service_day(first) == venue.service_day(second) == OCTOBER_NIGHT


def test_the_october_night_is_an_hour_longer_by_the_clock(venue):
    opens, closes = venue.opening_window(OCTOBER_NIGHT)

    assert (closes - opens).total_seconds() / 3600 == 11  # 17:00 BST to 03:00 GMT


def test_a_booking_that_runs_past_closing_is_refused_with_the_hours(venue):
    late = venue.wall_time_on(date(2026, 11, 25), time(23, 30))

    with pytest.raises(InvalidInput) as refused:
        venue.check_open(late, 120)

    assert "open 17:00–01:00" in str(refused.value)


def test_a_booking_before_opening_is_refused(venue):
    with pytest.raises(InvalidInput):
        venue.check_open(venue.wall_time_on(date(2026, 11, 25), time(16, 0)), 90)


def test_the_default_duration_grows_with_the_party(venue):
    assert [venue.default_duration(n) for n in (2, 4, 6, 10)] == [90, 120, 150, 180]


def test_the_desk_shows_the_next_night_once_tonight_has_closed(venue):
    after_close = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # Wednesday closed at 01:00

    assert venue.current_night(after_close) == date(2026, 11, 26)


def test_naive_datetimes_are_refused():
    from app.domain.venue import to_utc

    with pytest.raises(ValueError):
        to_utc(datetime(2026, 1, 1, 20, 0))


def test_a_confirmation_states_the_day_and_a_time_after_midnight_the_night_it_belongs_to(venue):
    evening = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)  # Saturday 5 December, 21:00 GMT
    after_midnight = datetime(2026, 12, 6, 0, 30, tzinfo=UTC)
    summer = datetime(2027, 7, 2, 20, 15, tzinfo=UTC)  # 21:15 BST on Friday 2 July

    assert venue.show_day_time(evening) == "Sat 5 Dec, 21:00"
    assert venue.show_day_time(after_midnight) == "Sat 5 Dec night, 00:30"
    assert venue.show_day_time(summer) == "Fri 2 Jul, 21:15"


# --- dates a receptionist can trust ------------------------------------------------
WEDNESDAY_21_05 = datetime(2026, 11, 25, 21, 5, tzinfo=UTC)


def test_a_time_earlier_in_the_slot_in_progress_can_still_be_booked(venue):
    venue.check_bookable_when(datetime(2026, 11, 25, 21, 0, tzinfo=UTC), WEDNESDAY_21_05)


def test_a_time_gone_by_is_refused_saying_what_time_it_is_now(venue):
    with pytest.raises(InvalidInput) as refused:
        venue.check_bookable_when(datetime(2026, 11, 25, 20, 45, tzinfo=UTC), WEDNESDAY_21_05)

    assert refused.value.field == "start"
    assert str(refused.value) == (
        "Wed 25 Nov, 20:45 has passed (it is now Wed 25 Nov, 21:05). Seat a party that "
        "is here as a walk-in; a manager can record a past booking."
    )


def test_a_past_time_is_accepted_when_a_manager_records_it(venue):
    venue.check_bookable_when(
        datetime(2026, 11, 20, 20, 0, tzinfo=UTC), WEDNESDAY_21_05, past_allowed=True
    )


def test_the_last_day_of_the_horizon_can_be_booked_and_the_day_after_cannot(venue):
    last = datetime(2027, 11, 25, 21, 0, tzinfo=UTC)
    venue.check_bookable_when(last, WEDNESDAY_21_05)

    with pytest.raises(InvalidInput) as refused:
        venue.check_bookable_when(datetime(2027, 11, 26, 21, 0, tzinfo=UTC), WEDNESDAY_21_05)

    assert "takes bookings up to Thu 25 Nov 2027; Fri 26 Nov 2027 is further ahead" in str(
        refused.value
    )


def test_half_past_one_on_the_horizons_last_night_belongs_to_that_night(venue):
    venue.check_bookable_when(datetime(2027, 11, 26, 1, 30, tzinfo=UTC), WEDNESDAY_21_05)
