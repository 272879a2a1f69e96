from datetime import UTC, date, datetime, time

from app.domain.allocation import SeatingRequest, allocate
from app.domain.booking import Booking, BookingStatus

SATURDAY = date(2026, 11, 28)


def at(venue, hh, mm=0):
    return venue.wall_time_on(SATURDAY, time(hh, mm))


def booked(plan, number, start, minutes=120, status=BookingStatus.CONFIRMED, party=2):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    return Booking(
        id=f"b{number}-{start:%H%M}",
        venue_id="v",
        reference="R",
        customer_id="c",
        party_size=party,
        start=start,
        duration_minutes=minutes,
        status=status,
        created_at=now,
        updated_at=now,
        table_ids=(plan.table_by_number(number).id,),
    )


def numbers(plan, seating):
    return sorted(plan.table(t).number for t in seating.table_ids)


def test_party_of_nine_on_a_free_saturday_gets_tables_15_and_16_combined(venue, plan):
    seating = allocate(plan, [], SeatingRequest(9, at(venue, 21), 180))

    assert numbers(plan, seating) == [15, 16]
    assert seating.combined and seating.combination.strategy == "COMBINED_PREMIUM"


def test_party_of_thirteen_fits_nowhere_and_goes_to_the_waitlist(venue, plan):
    assert allocate(plan, [], SeatingRequest(13, at(venue, 21), 180)) is None


def test_a_couple_gets_the_smallest_table_that_fits(venue, plan):
    seating = allocate(plan, [], SeatingRequest(2, at(venue, 19), 90))

    assert plan.table(seating.table_ids[0]).max_covers == 2


def test_a_party_of_five_is_not_given_a_combinable_table_while_a_booth_is_free(venue, plan):
    seating = allocate(plan, [], SeatingRequest(5, at(venue, 19), 150))

    assert numbers(plan, seating)[0] not in (15, 16)


def test_a_booked_table_is_skipped_for_an_overlapping_time(venue, plan):
    taken = [booked(plan, n, at(venue, 20)) for n in (1, 2, 3, 13)]

    seating = allocate(plan, taken, SeatingRequest(2, at(venue, 21), 90))

    assert numbers(plan, seating)[0] not in (1, 2, 3, 13)


def test_a_cancelled_booking_frees_its_table(venue, plan):
    gone = [booked(plan, n, at(venue, 20), status=BookingStatus.CANCELLED) for n in (1, 2, 3)]

    seating = allocate(plan, gone, SeatingRequest(2, at(venue, 21), 90))

    assert numbers(plan, seating) == [1]


def test_the_vip_snug_is_only_offered_to_vip_guests(venue, plan):
    ordinary = allocate(plan, [], SeatingRequest(10, at(venue, 21), 180))
    vip = allocate(plan, [], SeatingRequest(10, at(venue, 21), 180, vip=True))

    assert numbers(plan, ordinary) == [15, 16]
    assert numbers(plan, vip) == [12]


def test_when_15_is_taken_a_party_of_nine_is_waitlisted(venue, plan):
    taken = [booked(plan, 15, at(venue, 20), party=5)]

    assert allocate(plan, taken, SeatingRequest(9, at(venue, 21), 180)) is None
