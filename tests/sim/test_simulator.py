"""The deterministic multi-desk simulator, in the suite (``python -m tests.sim`` runs more)."""

from __future__ import annotations

import contextlib
import os
import random
from datetime import timedelta

import pytest
from sqlalchemy import delete, text

from app.models.tables import OutboxRow
from tests.sim import checker, oracle
from tests.sim.actions import create
from tests.sim.desk import SimDesk, SkewedClock
from tests.sim.network import Link
from tests.sim.pool import run_seeds
from tests.sim.run import run_seed, seeded_entropy
from tests.sim.world import Database, seed_world, template

SEEDS = int(os.environ.get("BACKROOM_SIM_SEEDS", "300"))


@pytest.fixture(scope="module")
def world(pg_server):
    with template(pg_server) as tpl:
        tpl.install_tokens()
        db = Database(tpl)
        yield tpl, db
        db.drop()


@pytest.mark.slow
@pytest.mark.timeout(1500)  # ~400 s on a quiet 2-core machine; twice that when it is shared
def test_hundreds_of_seeds_of_partitions_restarts_and_lost_answers_keep_every_property(
    pg_server, record_property
):
    results = run_seeds(range(SEEDS), workers=2, pg=pg_server)
    record_property(
        "figure",
        f"simulator: seeds 0-{SEEDS - 1}, {sum(r.intents for r in results)} intents, "
        f"{sum(r.conflicts for r in results)} conflicts, "
        f"{sum(r.answered for r in results)} guests' texts "
        f"({sum(r.by_server for r in results)} changes the server made on them), "
        f"{sum(r.settled for r in results)} deposits settled at the bar, "
        f"{sum(r.paid_online for r in results)} paid through Stripe links "
        f"({sum(r.paid_late for r in results)} after the booking could no longer take it), "
        f"{sum(r.refunded for r in results)} refunds made at Stripe, "
        f"{sum(r.outside for r in results)} in its Dashboard, "
        f"{sum(r.sent_back for r in results)} sent back by the bank, "
        f"{sum(r.given_back for r in results)} given back another way, "
        f"{sum(bool(r.violations) for r in results)} seeds broke a property",
    )

    failed = {r.seed: r.violations for r in results if r.violations}
    assert len(results) == SEEDS
    assert failed == {}, f"failing seeds (replay with python -m tests.sim --start S): {failed}"
    assert sum(r.conflicts for r in results) > SEEDS // 10, "the scenarios should collide"
    assert sum(r.by_server for r in results) >= SEEDS // 60, "guests' texts should change bookings"
    assert sum(r.settled for r in results) >= SEEDS // 30, "parties should settle deposits"
    assert sum(r.paid_online for r in results) >= SEEDS // 100, "guests should pay links"
    assert sum(r.refunded for r in results) >= SEEDS // 100, "managers should refund"
    assert sum(r.outside for r in results) >= SEEDS // 100, "and refund in Stripe's Dashboard"
    assert sum(r.sent_back for r in results) >= SEEDS // 150, "banks should send refunds back"
    assert sum(r.given_back for r in results) >= SEEDS // 300, "and managers pay some by transfer"


# Seeds that once broke a property, run again in every suite (the trace of a seed
# changes with the code, so each is only as good as the case it still reaches).
REGRESSIONS = {
    582: "a desk keeps its side of a conflict after another desk cancelled the booking",
    1871: "a desk keeps its stale edit (seat the party) after another desk cancelled it",
}


@pytest.mark.parametrize("seed", sorted(REGRESSIONS))
def test_a_seed_that_once_broke_a_property_keeps_every_property_now(world, seed):
    tpl, db = world

    result = run_seed(tpl, db, seed)

    assert result.violations == [], REGRESSIONS[seed]


def test_a_seed_replays_exactly(world):
    tpl, db = world

    first = run_seed(tpl, db, 1234)
    second = run_seed(tpl, db, 1234)

    assert first.trace == second.trace
    assert first.digest == second.digest
    assert first.violations == second.violations == []


@contextlib.contextmanager
def one_desk(tpl, db, seed):
    """A seed's world with one desk on a good line, and the model's view of its start."""
    with seed_world(tpl, db, seed) as (server, workdir), seeded_entropy(random.Random(~seed)):
        start = oracle.snapshot(server.sessions)
        link = Link(server.client, server.restart, clock=server.clock.now)
        desk = SimDesk.from_template(
            tpl.desks[0], workdir, link, SkewedClock(server.clock, timedelta(0)), old=False
        )
        assert desk.engine is not None and desk.store is not None
        desk.engine.sync_once()
        try:
            yield server, desk, start
        finally:
            desk.kill()


def booked(desk, seed):
    """One booking made on the desk and synced."""
    assert desk.engine is not None
    create(random.Random(seed), desk)
    desk.record_saved()
    desk.engine.sync_once()
    return desk.created[-1]


def server_sql(server, *statements):
    with server.sessions() as session:
        for statement in statements:
            session.execute(text(statement))
        session.commit()


def test_the_checker_notices_an_intent_dropped_from_an_outbox(world):
    tpl, db = world
    with one_desk(tpl, db, 5) as (server, desk, start):
        assert desk.engine is not None and desk.store is not None
        create(random.Random(5), desk)
        desk.record_saved()
        with desk.store.unit_of_work() as uow:  # the bug a sync client must never have
            uow.session.execute(delete(OutboxRow))
            uow.commit()
        desk.engine.sync_once()

        problems = checker.check(server.sessions, [desk], start)

    assert any("saved intents" in p for p in problems)
    assert any("was lost" in p for p in problems)


def test_a_seed_whose_desks_and_server_agree_with_the_model_passes(world):
    tpl, db = world
    with one_desk(tpl, db, 6) as (server, desk, start):
        booked(desk, 6)

        problems = checker.check(server.sessions, [desk], start)

    assert problems == []


def test_a_rejection_whose_reason_does_not_hold_cannot_excuse_a_missing_booking(world):
    tpl, db = world
    with one_desk(tpl, db, 7) as (server, desk, start):
        booking_id = booked(desk, 7)
        server_sql(  # a server that lost the booking and blamed the reference
            server,
            "UPDATE intent_outcomes SET outcome = 'rejected', "
            "reason = 'Reference 00000000000 is already used by another booking.'",
            "DELETE FROM booking_tables",
            "DELETE FROM message_outbox",
            "DELETE FROM bookings",
        )

        problems = checker.check(server.sessions, [desk], start)

    assert any(
        "a rejection must not excuse a missing booking without a reason that holds" in p
        for p in problems
    ), problems
    assert any(f"refused booking {booking_id[:8]} is not kept in conflict" in p for p in problems)


def test_a_value_the_server_and_every_desk_share_is_still_checked_against_the_model(world):
    tpl, db = world
    with one_desk(tpl, db, 8) as (server, desk, start):
        booked(desk, 8)
        server_sql(  # a change no intent asked for, sent to every desk as if it were one
            server,
            "UPDATE venue_versions SET version = version + 1",
            "UPDATE bookings SET occasion = 'Birthday', "
            "version = (SELECT version FROM venue_versions)",
        )
        assert desk.engine is not None
        desk.engine.sync_once()

        problems = checker.check(server.sessions, [desk], start)

    assert not any(p.startswith("Reception vs server") for p in problems), problems
    assert any(
        p.startswith("model vs server bookings") and "occasion: '' vs 'Birthday'" in p
        for p in problems
    ), problems
