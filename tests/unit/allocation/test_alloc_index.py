from app.domain.allocation import AvailabilityIndex, SeatingRequest, allocate
from app.domain.booking import BookingStatus


def numbers(plan, seating):
    return sorted(plan.table(t).number for t in seating.table_ids)


def test_party_of_four_gets_the_smallest_plain_table_that_fits(plan, clock, at):
    index = AvailabilityIndex(plan, clock)

    seating = index.can_seat(4, at("21:00"), 120)

    assert numbers(plan, seating) == [4]


def test_party_of_nine_gets_tables_15_and_16_combined(plan, clock, at):
    index = AvailabilityIndex(plan, clock)

    seating = index.can_seat(9, at("21:00"), 180)

    assert numbers(plan, seating) == [15, 16]
    assert seating.combined


def test_a_vip_party_of_nine_gets_the_snug_and_others_never_do(plan, clock, at):
    index = AvailabilityIndex(plan, clock)

    vip = index.can_seat(9, at("21:00"), 180, vip=True)
    plain = index.free_options(8, at("21:00"), 180)

    assert numbers(plan, vip) == [12]
    assert all(12 not in [plan.table(t).number for t in o.table_ids] for o in plain)


def test_combinable_tables_are_offered_last_to_a_party_of_five(plan, clock, at):
    index = AvailabilityIndex(plan, clock)

    offered = [numbers(plan, o.seating) for o in index.free_options(5, at("21:00"), 150)]

    # 15 + 16 combine for parties of 7–12 only, so a five is never offered the join.
    assert offered == [[9], [10], [11], [15], [16]]


def test_a_booked_table_is_busy_while_booked_and_free_back_to_back(plan, clock, at, make_booking):
    index = AvailabilityIndex(plan, clock, [make_booking("a", 2, "20:00", 120, (1,))])
    table_1 = plan.table_by_number(1).id

    during = [o.table_ids for o in index.free_options(2, at("21:00"), 90)]
    after = [o.table_ids for o in index.free_options(2, at("22:00"), 90)]

    assert (table_1,) not in during
    assert (table_1,) in after


def test_a_cancellation_from_the_change_stream_frees_the_table(plan, clock, at, make_booking):
    booking = make_booking("a", 10, "21:00", 180, (15, 16))
    index = AvailabilityIndex(plan, clock, [booking])

    before = index.can_seat(10, at("21:00"), 180)
    index.apply(booking.moved_to(BookingStatus.CANCELLED, at("19:00")))
    after = index.can_seat(10, at("21:00"), 180)

    assert before is None
    assert numbers(plan, after) == [15, 16]


def test_every_start_time_tonight_skips_the_slots_a_big_table_is_taken(
    plan, clock, at, make_booking
):
    index = AvailabilityIndex(plan, clock, [make_booking("a", 10, "20:00", 180, (15, 16))])

    times = index.start_times(10, 180, at("17:00"), at("23:30"))

    starts = [t.start for t in times]
    assert starts == [at("17:00"), at("23:00"), at("23:15"), at("23:30")]
    assert all(numbers(plan, t.seating) == [15, 16] for t in times)


def test_the_booking_being_reseated_does_not_block_itself(plan, clock, at, make_booking):
    booking = make_booking("a", 10, "21:00", 180, (15, 16))
    index = AvailabilityIndex(plan, clock, [booking])

    seating = index.can_seat(10, at("21:30"), 180, exclude="a")

    assert numbers(plan, seating) == [15, 16]


def test_a_held_table_is_not_offered_until_released(plan, clock, at):
    index = AvailabilityIndex(plan, clock)
    snug = plan.table_by_number(12).id

    index.hold("offer-1", [snug], at("21:00"), 120)
    held = index.can_seat(8, at("21:00"), 120, vip=True)
    index.release("offer-1")
    released = index.can_seat(8, at("21:00"), 120, vip=True)

    assert numbers(plan, held) == [15, 16]
    assert numbers(plan, released) == [12]


def test_locked_best_fit_allocate_keeps_its_old_answer(plan, at, make_booking):
    taken = make_booking("a", 4, "21:00", 120, (4,))

    seating = allocate(plan, [taken], SeatingRequest(4, at("21:00"), 120))

    assert numbers(plan, seating) == [5]
    assert not seating.combined
