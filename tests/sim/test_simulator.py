"""The deterministic multi-desk simulator, in the suite (``python -m tests.sim`` runs more)."""

from __future__ import annotations

import os
import random

import pytest
from sqlalchemy import delete

from app.models.tables import OutboxRow
from tests.sim import checker
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
def test_hundreds_of_seeds_of_partitions_restarts_and_lost_answers_keep_every_property(pg_server):
    results = run_seeds(range(SEEDS), workers=2, pg=pg_server)

    failed = {r.seed: r.violations for r in results if r.violations}
    assert len(results) == SEEDS
    assert failed == {}, f"failing seeds (replay with python -m tests.sim --start S): {failed}"
    assert sum(r.conflicts for r in results) > SEEDS // 10, "the scenarios should collide"


def test_a_seed_replays_exactly(world):
    tpl, db = world

    first = run_seed(tpl, db, 1234)
    second = run_seed(tpl, db, 1234)

    assert first.trace == second.trace
    assert first.digest == second.digest
    assert first.violations == second.violations == []


def test_the_checker_notices_an_intent_dropped_from_an_outbox(world):
    tpl, db = world
    rng = random.Random(5)
    with seed_world(tpl, db, 5) as (server, workdir), seeded_entropy(random.Random(6)):
        desk = SimDesk.from_template(
            tpl.desks[0],
            workdir,
            Link(server.client, server.restart),
            SkewedClock(server.clock, __import__("datetime").timedelta(0)),
            old=False,
        )
        assert desk.engine is not None and desk.store is not None
        desk.engine.sync_once()
        create(rng, desk)
        desk.record_saved()
        with desk.store.unit_of_work() as uow:  # the bug a sync client must never have
            uow.session.execute(delete(OutboxRow))
            uow.commit()
        desk.engine.sync_once()

        problems = checker.check(server.sessions, [desk])
        desk.kill()

    assert any("saved intents" in p for p in problems)
    assert any("was lost" in p for p in problems)
