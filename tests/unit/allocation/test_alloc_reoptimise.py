from dataclasses import replace

from app.domain.allocation import Engine, reoptimise
from app.domain.allocation.relabel import settle
from app.domain.allocation.repack import night_of, symmetry_for
from app.domain.booking import BookingStatus


def numbers(plan, table_ids):
    return sorted(plan.table(t).number for t in table_ids)


def waitlisted(make_booking, booking_id, party, start, minutes, priority):
    booking = make_booking(booking_id, party, start, minutes, status=BookingStatus.WAITLISTED)
    return replace(booking, priority_score=priority)


def test_reoptimising_moves_a_three_to_let_a_waitlisted_six_in(plan, clock, make_booking):
    fives = [make_booking(f"five-{n}", 5, "20:00", 120, (n,)) for n in (9, 10, 11, 15)]
    smith = make_booking("smith", 3, "20:00", 120, (16,))
    engine = Engine(plan, clock, [*fives, smith])
    six = waitlisted(make_booking, "six", 6, "20:30", 150, 300)

    night = reoptimise(engine, [six])

    [promotion] = night.promotions
    assert promotion.booking_id == "six"
    assert numbers(plan, promotion.table_ids) == [16]
    assert [(m.booking_id, numbers(plan, m.to_table_ids)) for m in night.moves] == [("smith", [4])]


def test_reoptimising_prefers_two_small_parties_to_one_that_blocks_both(plan, clock, make_booking):
    # Only 15 + 16 are left 20:00–23:00: a seven takes both, two fives take one each.
    others = [make_booking(f"x{n}", 5, "19:00", 5 * 60, (n,)) for n in (9, 10, 11)]
    engine = Engine(plan, clock, others)
    seven = waitlisted(make_booking, "seven", 7, "20:00", 180, 900)
    fives = [waitlisted(make_booking, f"five-{n}", 5, "20:00", 150, 100) for n in (1, 2)]

    night = reoptimise(engine, [seven, *fives])

    assert sorted(p.booking_id for p in night.promotions) == ["five-1", "five-2"]
    assert night.still_waiting == ("seven",)


def test_reoptimising_never_moves_a_seated_party(plan, clock, make_booking):
    fives = [make_booking(f"five-{n}", 5, "20:00", 120, (n,)) for n in (9, 10, 11, 15)]
    smith = make_booking("smith", 3, "20:00", 120, (16,), status=BookingStatus.SEATED)
    engine = Engine(plan, clock, [*fives, smith])
    six = waitlisted(make_booking, "six", 6, "20:30", 150, 300)

    night = reoptimise(engine, [six])

    assert night.promotions == ()
    assert night.moves == ()
    assert night.still_waiting == ("six",)


def test_the_first_plan_goes_by_priority_and_more_time_lets_two_parties_in_for_one(
    plan, clock, make_booking
):
    # Only 15 + 16 are left 20:00-23:00: the seven (priority 900) takes both.
    others = [make_booking(f"x{n}", 5, "19:00", 5 * 60, (n,)) for n in (9, 10, 11)]
    engine = Engine(plan, clock, others)
    seven = waitlisted(make_booking, "seven", 7, "20:00", 180, 900)
    fives = [waitlisted(make_booking, f"five-{n}", 5, "20:00", 150, 100) for n in (1, 2)]

    first = reoptimise(engine, [seven, *fives], budget_seconds=0.0)
    better = reoptimise(engine, [seven, *fives], budget_seconds=1.0)

    assert [p.booking_id for p in first.promotions] == ["seven"]
    assert sorted(p.booking_id for p in better.promotions) == ["five-1", "five-2"]


def test_a_re_pack_that_shuffled_twin_tables_is_dealt_back_with_no_moves(plan, clock, make_booking):
    # Two pairs on the twin two-tops 1 and 2; a plan that swapped them moves nobody really.
    one = make_booking("one", 2, "20:00", 90, (1,))
    two = make_booking("two", 2, "20:30", 90, (2,))
    engine = Engine(plan, clock, [one, two])
    night = night_of(engine.index, engine.vip_of)
    current = {j.key: j.current for j in night.jobs}
    swapped = {"one": current["two"], "two": current["one"]}

    settled = settle(swapped, night.jobs, night.fixed, symmetry_for(engine.index, night.jobs))

    assert settled == current


def test_with_time_the_same_parties_are_let_in_moving_fewer_bookings(plan, clock, make_booking):
    # Letting the five (priority 314) in first, by its own fewest moves, leaves the
    # three needing another two moved; letting them in the other way round moves one.
    night_of_eleven = [
        ("b0", 3, "23:00", 120, 4),
        ("b5", 3, "21:30", 150, 5),
        ("b7", 6, "21:30", 90, 9),
        ("b9", 4, "22:30", 150, 6),
        ("b13", 4, "23:00", 120, 7),
        ("b14", 4, "22:30", 150, 8),
        ("b15", 4, "21:30", 150, 14),
        ("b16", 3, "23:00", 120, 16),
        ("b17", 4, "22:30", 120, 10),
        ("b18", 2, "21:00", 120, 7),
        ("b19", 6, "21:30", 120, 11),
    ]
    engine = Engine(
        plan,
        clock,
        [make_booking(k, n, start, minutes, (t,)) for k, n, start, minutes, t in night_of_eleven],
    )
    three = waitlisted(make_booking, "three", 3, "22:00", 120, 76)
    five = waitlisted(make_booking, "five", 5, "20:30", 150, 314)

    first = reoptimise(engine, [three, five], budget_seconds=0.0)
    better = reoptimise(engine, [three, five], budget_seconds=1.0)

    assert first.seated == better.seated == 2
    assert len(first.moves) == 2
    assert len(better.moves) == 1
