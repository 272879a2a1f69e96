"""Whole nights of random requests: the engine's plan is always valid, and it
never turns away a party that the exact solver (CP-SAT) could seat by re-packing."""

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from app.domain.allocation import DecisionKind, Engine, SeatingRequest
from app.domain.allocation.engine import REQUEST
from app.domain.allocation.packing import Job
from app.domain.allocation.repack import night_of
from app.domain.booking import ACTIVE, BookingStatus

pytest.importorskip("ortools", reason="the exact oracle needs OR-Tools (the bench extra)")

from tests.oracles.exact import solve

book = st.tuples(
    st.just("book"),
    st.sampled_from([1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 9, 12]),  # party size
    st.integers(0, 16),  # quarter-hours after 18:00
    st.sampled_from([6, 8, 10, 12, 16]),  # quarter-hours long
    st.sampled_from([False, False, False, False, True]),  # VIP guest
)
act = st.tuples(st.sampled_from(["seat", "cancel"]), st.integers(0, 200))
nights = st.lists(st.one_of(book, book, book, act), min_size=20, max_size=60)


def check_plan(plan, bookings, seated_tables, vip_ids):
    active = [b for b in bookings.values() if b.status in ACTIVE and b.table_ids]
    for i, a in enumerate(active):
        tables = [plan.table(t) for t in a.table_ids]
        if len(tables) == 1:
            assert tables[0].fits(a.party_size), f"{a.id} does not fit its table"
        else:
            combo = plan.combination_for(a.table_ids)
            assert combo is not None and combo.fits(a.party_size), f"{a.id} outside its join"
            assert a.combined
        if a.id not in vip_ids:
            assert not any(t.vip for t in tables), f"{a.id} put on a VIP table"
        for b in active[i + 1 :]:
            if set(a.table_ids) & set(b.table_ids):
                assert not a.overlaps(b.start, b.end), f"{a.id} and {b.id} share a table"
    for bid, tables in seated_tables.items():
        assert bookings[bid].table_ids == tables, f"seated {bid} was moved"


@given(ops=nights)
def test_a_night_of_requests_keeps_the_plan_valid_and_refuses_only_what_cp_sat_cannot_seat(
    ops, plan, clock, at, make_booking
):
    vip_ids: set[str] = set()
    engine = Engine(plan, clock, vip_of=lambda b: b.id in vip_ids)
    bookings = {}
    seated_tables = {}
    now = at("17:00")

    for n, op in enumerate(ops):
        if op[0] == "book":
            _, party, quarter, length, vip = op
            start = at("18:00") + timedelta(minutes=15 * quarter)
            request = SeatingRequest(party, start, 15 * length, vip)
            before = night_of(engine.index, engine.vip_of)
            decision = engine.decide(request, now)
            event(f"{decision.kind.value} with {min(len(decision.moves), 3)} moves")
            bid = f"b{n}"
            if decision.kind is DecisionKind.SEAT_WITH_MOVES and len(decision.moves) <= 3:
                assert_fewest_moves(engine, before, request, decision)
            if decision.kind in (DecisionKind.SEAT, DecisionKind.SEAT_WITH_MOVES):
                for move in decision.moves:
                    moved = replace(
                        bookings[move.booking_id],
                        table_ids=move.to_table_ids,
                        combined=move.combined,
                    )
                    bookings[moved.id] = moved
                    engine.apply(moved)
                if vip:
                    vip_ids.add(bid)
                booking = make_booking(bid, party, start, 15 * length)
                booking = replace(
                    booking,
                    table_ids=decision.seating.table_ids,
                    combined=decision.seating.combined,
                )
                bookings[bid] = booking
                engine.apply(booking)
            else:
                assert not decision.undecided
                assert_cp_sat_cannot_seat(engine, before, request)
        elif bookings:
            _, which = op
            live = sorted(b for b in bookings if bookings[b].status is BookingStatus.CONFIRMED)
            if not live:
                continue
            target = bookings[live[which % len(live)]]
            status = BookingStatus.SEATED if op[0] == "seat" else BookingStatus.CANCELLED
            changed = target.moved_to(status, now)
            bookings[changed.id] = changed
            engine.apply(changed)
            if status is BookingStatus.SEATED:
                seated_tables[changed.id] = changed.table_ids
        check_plan(plan, bookings, seated_tables, vip_ids)


def new_job(engine, request):
    first, end = engine.index.clock.span(request.start, request.duration_minutes)
    options = engine.index.catalogue.options(request.party_size, request.vip)
    return Job(REQUEST, first, end, options, None, request.party_size)


def assert_cp_sat_cannot_seat(engine, night, request):
    exact = solve(night.fixed, [*night.jobs, new_job(engine, request)])
    assert exact.status == "infeasible", "CP-SAT found a re-pack the engine missed"


def assert_fewest_moves(engine, night, request, decision):
    exact = solve(night.fixed, [*night.jobs, new_job(engine, request)], fewest_moves=True)
    least = len(night.jobs) - round(exact.objective)
    assert exact.status == "optimal"
    assert len(decision.moves) == least, f"proposed {len(decision.moves)} moves, {least} would do"
