"""Sending moved bookings home once the plan's parties are chosen (``homing``)."""

from app.domain.allocation.homing import send_home
from app.domain.allocation.packing import Job
from tests.unit.allocation.small_floor import Room, small_floor

ROOM = Room(small_floor())


def at(job: Job, *numbers: int):
    tables = tuple(ROOM.catalogue.position[f"t{n}"] for n in numbers)
    return next(o for o in job.options if o.tables == tables)


def numbers(option) -> list[int]:
    return sorted(ROOM.catalogue.tables[p].number for p in option.tables)


def always() -> bool:
    return True


def test_a_moved_booking_goes_home_when_the_others_out_of_place_repack_around_it():
    # A re-pack left the two on the 1-2 table t1, the four on the two's 2-4 table t3
    # and the promoted five on the four's 4-6 table t6, while the other 4-6 (t7) is free.
    two = ROOM.job("two", 2, 0, 8, on=(3,))
    four = ROOM.job("four", 4, 0, 8, on=(6,))
    five = ROOM.job("five", 5, 0, 8)
    jobs = {j.key: j for j in (two, four, five)}
    home = {"two": two.current, "four": four.current}
    positions = {"two": at(two, 1), "four": at(four, 3), "five": at(five, 6)}

    sent = send_home(ROOM.empty, jobs, home, positions, ROOM.symmetry, always)

    assert numbers(sent["two"]) == [3]
    assert numbers(sent["four"]) == [6]
    assert numbers(sent["five"]) == [7]


def test_no_booking_at_home_is_moved_to_bring_another_home():
    # Every 4-6 and 3-6 table is busy with bookings at home, so the promoted five can
    # only sit on the four's 4-6 table t6: the four stays moved, and nobody else moves.
    four = ROOM.job("four", 4, 0, 8, on=(6,))
    five = ROOM.job("five", 5, 0, 8)
    others = [ROOM.job(f"h{n}", 5, 0, 8, on=(n,)) for n in (7, 8, 9, 10, 11)]
    jobs = {j.key: j for j in (four, five, *others)}
    home = {j.key: j.current for j in (four, *others)}
    positions = {"four": at(four, 3), "five": at(five, 6), **{j.key: j.current for j in others}}

    sent = send_home(ROOM.empty, jobs, home, positions, ROOM.symmetry, always)

    assert sent == positions


def test_sending_home_stops_when_the_time_is_up():
    two = ROOM.job("two", 2, 0, 8, on=(3,))
    four = ROOM.job("four", 4, 0, 8, on=(6,))
    five = ROOM.job("five", 5, 0, 8)
    jobs = {j.key: j for j in (two, four, five)}
    positions = {"two": at(two, 1), "four": at(four, 3), "five": at(five, 6)}

    sent = send_home(
        ROOM.empty,
        jobs,
        {"two": two.current, "four": four.current},
        positions,
        ROOM.symmetry,
        lambda: False,
    )

    assert sent == positions
