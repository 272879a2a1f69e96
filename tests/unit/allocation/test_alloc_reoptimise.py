from dataclasses import replace

from app.domain.allocation import Engine, reoptimise
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
