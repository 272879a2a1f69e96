"""The re-pack against the exact solver on small random rooms: it finds a plan exactly
when CP-SAT does, the plan is valid, and it always reaches an answer."""

from dataclasses import replace

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from app.domain.allocation.packing import Job, job_mask, pack
from app.domain.allocation.symmetry import symmetry_of
from tests.unit.allocation.small_floor import Room, small_floor

pytest.importorskip("ortools", reason="the exact oracle needs OR-Tools (the bench extra)")

from tests.oracles.exact import solve

ROOM = Room(small_floor(pairs=2))
TABLES = len(ROOM.catalogue.tables)

party = st.sampled_from([1, 2, 2, 3, 4, 4, 5, 6, 6, 8, 11])
booking = st.tuples(party, st.integers(0, 12), st.sampled_from([3, 4, 6, 8]))
seated = st.tuples(st.integers(0, TABLES - 1), st.integers(0, 8), st.integers(2, 8))
by_hand = st.tuples(st.integers(0, TABLES - 1), st.integers(0, 12))


def plan_of(bookings, loads, odd):
    """Seated loads, then bookings placed where they first fit (the others are dropped),
    then a few parties of two put by hand on any table."""
    fixed = [0] * TABLES
    for table, first, length in loads:
        fixed[table] |= job_mask(Job("load", first, first + length, ()))
    busy = list(fixed)
    jobs = []
    for n, (size, first, length) in enumerate(bookings):
        job = ROOM.job(f"b{n}", size, first, first + length)
        mask = job_mask(job)
        option = next((o for o in job.options if all(not busy[p] & mask for p in o.tables)), None)
        if option is None:
            continue
        for p in option.tables:
            busy[p] |= mask
        others = tuple(o for o in job.options if o is not option)
        jobs.append(replace(job, current=option, options=(option, *others)))
    apart = []
    for n, (table, first) in enumerate(odd):
        job = ROOM.job(f"h{n}", 2, first, first + 4)
        mask = job_mask(job)
        if busy[table] & mask:
            continue
        busy[table] |= mask
        option = ROOM.catalogue.option_for((ROOM.catalogue.tables[table].id,))
        usual = tuple(o for o in job.options if o.tables != option.tables)
        jobs.append(replace(job, options=(option, *usual), current=option, odd=True))
        apart.append(table)
    return fixed, jobs, apart


@given(
    bookings=st.lists(booking, min_size=4, max_size=16),
    loads=st.lists(seated, max_size=3),
    odd=st.lists(by_hand, max_size=2),
    newcomer=booking,
)
def test_the_re_pack_seats_the_newcomer_exactly_when_cp_sat_can(bookings, loads, odd, newcomer):
    fixed, jobs, apart = plan_of(bookings, loads, odd)
    size, first, length = newcomer
    new = ROOM.job("new", size, first, first + length)
    everyone = [*jobs, new]
    symmetry = symmetry_of(ROOM.catalogue, apart)

    result = pack(fixed, everyone, symmetry, crowded=(new.first, new.end), focus="new")
    exact = solve(fixed, everyone, time_limit=20)

    assume(exact.status != "unknown")
    event("seated" if result.assignment is not None else "refused")
    assert result.complete, "the search ran out of budget on a small room"
    assert (result.assignment is not None) == exact.found
    if result.assignment is not None:
        assert_valid(fixed, everyone, result.assignment)


def assert_valid(fixed, jobs, assignment):
    assert set(assignment) == {j.key for j in jobs}
    busy = list(fixed)
    for job in jobs:
        option = assignment[job.key]
        assert option in job.options, f"{job.key} sits where it may not"
        mask = job_mask(job)
        for p in option.tables:
            assert not busy[p] & mask, f"{job.key} shares table {p + 1}"
            busy[p] |= mask
