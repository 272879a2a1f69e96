"""How the re-pack proves that there is no room: slot counting, narrowing, prices,
and what the engine says when its budget runs out before it knows."""

from app.domain.allocation.narrowing import narrow
from app.domain.allocation.packing import Repack, pack
from app.domain.allocation.prices import priced_out
from tests.unit.allocation.small_floor import Room, small_floor


def narrowed(repack: Repack, busy: list[int], room: Room):
    return narrow(busy, [(j.first, j.end) for j in repack.jobs], repack.choices, room.symmetry)


def test_a_party_cannot_change_tables_half_way_so_narrowing_refuses_what_slot_counting_allows(
    cp_sat,
):
    # One 1-2 table and one 2-4 table. The pair sits 0-4; the single needs the
    # small table 0-2 and the three needs the big one 2-4, so the pair would
    # have to swap tables at slot 2.
    room = Room(small_floor(pairs=0))
    jobs = [room.job("pair", 2, 0, 4), room.job("one", 1, 0, 2), room.job("three", 3, 2, 4)]
    busy = room.empty
    for n in (2, 4, 5, 6, 7):  # every other table is taken all night
        busy[room.catalogue.position[f"t{n}"]] = (1 << 8) - 1
    repack = Repack(busy, jobs, room.symmetry)

    assert not repack.overloaded(0, 4)
    assert (
        narrow(busy, [(j.first, j.end) for j in repack.jobs], repack.choices, room.symmetry) is None
    )
    assert cp_sat(busy, jobs).status == "infeasible"


def test_prices_prove_no_room_where_narrowing_cannot(cp_sat):
    room = Room(small_floor(pairs=1))
    spans = [(2, 5, 11), (2, 8, 12), (8, 8, 10), (3, 3, 9), (1, 9, 15)]
    spans += [(6, 1, 7), (2, 6, 10), (3, 6, 9), (4, 6, 8)]
    jobs = [room.job(f"j{n}", party, first, end) for n, (party, first, end) in enumerate(spans)]
    repack = Repack(room.empty, jobs, room.symmetry)
    narrowed = narrow(
        room.empty, [(j.first, j.end) for j in repack.jobs], repack.choices, room.symmetry
    )

    assert narrowed is not None
    assert priced_out(narrowed.jobs, narrowed.room)
    assert pack(room.empty, jobs, room.symmetry, node_limit=0).complete
    assert cp_sat(room.empty, jobs).status == "infeasible"


def full_but_the_pair(room: Room):
    """Every table but the joinable pair (8 + 9) is taken 0-4, by parties that fit."""
    return [
        room.job("x", 2, 0, 4, on=(1,)),
        room.job("x2", 2, 0, 4, on=(2,)),
        room.job("y", 4, 0, 4, on=(3,)),
        room.job("y2", 4, 0, 4, on=(4,)),
        room.job("y3", 4, 0, 4, on=(5,)),
        room.job("z", 6, 0, 4, on=(6,)),
        room.job("z2", 6, 0, 4, on=(7,)),
    ]


def test_a_pair_gets_a_small_table_once_a_four_moves_to_the_back():
    room = Room(small_floor(pairs=1))
    jobs = [*full_but_the_pair(room), room.job("new", 2, 0, 4)]

    result = pack(room.empty, jobs, room.symmetry, focus="new")

    assert result.assignment is not None
    used = [p for o in result.assignment.values() for p in o.tables]
    assert len(used) == len(set(used)), "two parties on one table"
    assert len(result.assignment) == len(jobs)


def test_when_the_budget_runs_out_the_answer_says_it_is_not_a_proof():
    room = Room(small_floor(pairs=1))
    jobs = [*full_but_the_pair(room), room.job("new", 2, 0, 4)]

    result = pack(room.empty, jobs, room.symmetry, node_limit=0, focus="new")

    assert result.assignment is None
    assert not result.complete
