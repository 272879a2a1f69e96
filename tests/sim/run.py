"""One seed: a scheduler driven by one random seed, then healing, then the checker.

Everything random comes from the seed: the staff actions, the faults, the desks'
clock skews, and even the ids and booking references the code makes (uuid4 and
the reference generator read from a seeded stream during the run), so a failing
seed replays exactly.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import random
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tests.sim import checker, oracle
from tests.sim.actions import deposits_tonight, give_back, refund_again, staff_action, waitlist
from tests.sim.desk import SimDesk, SkewedClock
from tests.sim.model.deposits import SETTLING
from tests.sim.model.refunds import OUTSIDE_BY
from tests.sim.network import Link, OneShot
from tests.sim.payments import at_closing, bank_sends_back, guest_payments, in_the_dashboard
from tests.sim.texts import guest_texts
from tests.sim.waitlist import tend
from tests.sim.world import Database, Server, Template, seed_world

SKEWS = (timedelta(0), timedelta(0), timedelta(hours=24), timedelta(hours=-24))
HEALING_ROUNDS = 12
TENDING_ROUNDS = 6
# Steps of one seed's scenario: tens of actions, syncs and faults over 2–3 desks.
STEPS = (20, 36)


@dataclass
class SeedResult:
    seed: int
    violations: list[str]
    trace: list[str] = field(default_factory=list)
    intents: int = 0
    conflicts: int = 0
    # Guests' texts the server received, and the changes it made on them.
    answered: int = 0
    by_server: int = 0
    # Deposits paid at the bar or waived that the server recorded.
    settled: int = 0
    # Links paid through Stripe, and of those how many a booking could no longer take
    # (paid at the bar or cancelled meanwhile: the money kept in the ledger to refund).
    paid_online: int = 0
    paid_late: int = 0
    # Refunds of money Stripe took that the server made at Stripe, and those a manager
    # made in Stripe's Dashboard that the server recorded.
    refunded: int = 0
    outside: int = 0
    # Refunds a guest's bank sent back, that the server recorded failed.
    sent_back: int = 0
    # Money a manager gave back outside Stripe and recorded (cash, a bank transfer).
    given_back: int = 0

    @property
    def digest(self) -> str:
        return hashlib.sha256("\n".join(self.trace).encode()).hexdigest()[:16]


@contextlib.contextmanager
def seeded_entropy(rng: random.Random) -> Iterator[None]:
    """uuid4 and the booking reference generator read from ``rng`` for the run."""
    real_uuid4, real_randbits = uuid.uuid4, secrets.randbits
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # type: ignore[assignment]
    secrets.randbits = rng.getrandbits  # type: ignore[assignment]
    try:
        yield
    finally:
        uuid.uuid4, secrets.randbits = real_uuid4, real_randbits  # type: ignore[assignment]


def run_seed(tpl: Template, db: Database, seed: int, steps: tuple[int, int] = STEPS) -> SeedResult:
    rng = random.Random(seed)
    result = SeedResult(seed, [])
    with seed_world(tpl, db, seed) as (server, workdir), seeded_entropy(random.Random(~seed)):
        world = oracle.snapshot(server.sessions)
        desks = _desks(tpl, rng, server, workdir)
        result.trace += [
            f"{d.name} skew {d.clock.skew} old {d.old_version} cut {d.link.partitioned}"
            for d in desks
        ]
        result.trace += _deposits_tonight(rng, desks) + _queue_at_the_door(rng, desks)
        total = rng.randint(*steps)
        for step in range(total):
            if step == total // 2:
                # Mid-night the cables go back in for a moment: the conflicts made so
                # far reach every desk, and the second half resolves them under faults.
                result.trace.append(f"{step}: {_reconnect(desks)}")
            server.clock.advance(rng.uniform(5, 90))
            # Before each step the server sends what is due and a guest may answer.
            if texted := guest_texts(rng, server):
                result.trace.append(f"{step}: {texted}")
            if paid := guest_payments(rng, server):
                result.trace.append(f"{step}: {paid}")
            result.trace.append(f"{step}: {_step(rng, server, desks)}")
        if paid := at_closing(rng, server):
            result.trace.append(paid)
        _heal(server, desks, result)
        if dashboard := in_the_dashboard(rng, server):
            result.trace.append("the morning after: " + dashboard)
        if given := give_back(rng, desks):
            result.trace.append("the morning after: " + "; ".join(given))
            _heal(server, desks, result)
        if sent := bank_sends_back(rng, server):
            result.trace.append("days later: " + sent)
            _heal(server, desks, result)
            if again := refund_again(rng, desks):
                result.trace.append("then: " + "; ".join(again))
                _heal(server, desks, result)
        _tend_all(desks, result)
        evidence = checker.gather(
            server.sessions, desks, server.by_text, server.by_stripe, server.stripe
        )
        keep(seed, world, evidence)
        result.violations = checker.verify(evidence, world)
        result.intents = sum(len(d.saved) for d in desks)
        result.conflicts = _conflicts(desks[0])
        result.answered, result.by_server = server.answered, len(server.by_text)
        result.settled = sum(
            o["name"] in SETTLING and o["outcome"] in ("applied", "merged")
            for o in evidence.outcomes
        )
        online = [c for c in server.by_stripe if c["kind"] == "link paid"]
        result.paid_online = len(online)
        result.paid_late = sum(not c["took"] for c in online)
        refunds = [
            r
            for r in evidence.server["deposit_requests"].values()
            if r["kind"] == "refund" and r["status"] == "done"
        ]
        result.outside = sum(r["requested_by"] == OUTSIDE_BY for r in refunds)
        result.refunded = len(refunds) - result.outside
        result.sent_back = sum(c["kind"] == "refund sent back" for c in server.by_stripe)
        result.given_back = sum(
            e["kind"] == "given_back" for e in evidence.server["deposit_ledger"].values()
        )
        for d in desks:
            if d.up:
                d.kill()
    return result


def keep(seed: int, world: object, evidence: checker.Evidence) -> None:
    """With BACKROOM_SIM_KEEP=DIR, a seed's evidence is kept to be checked again
    without running it (``python -m tests.sim.recheck DIR``)."""
    folder = os.environ.get("BACKROOM_SIM_KEEP")
    if folder:
        path = Path(folder) / f"seed-{seed}.pickle"
        path.write_bytes(pickle.dumps((world, evidence)))


def _desks(tpl: Template, rng: random.Random, server: Server, workdir) -> list[SimDesk]:
    count = rng.choice((2, 3, 3))
    old = rng.randrange(count) if rng.random() < 0.25 else -1
    desks = []
    for i, t in enumerate(tpl.desks[:count]):
        link = Link(server.client, server.restart, clock=server.clock.now)
        clock = SkewedClock(server.clock, rng.choice(SKEWS))
        desk = SimDesk.from_template(t, workdir, link, clock, old=i == old)
        # Some desks start the night with the cable already out.
        desk.link.partitioned = rng.random() < 0.3
        desks.append(desk)
    return desks


def _step(rng: random.Random, server: Server, desks: list[SimDesk]) -> str:
    desk = rng.choice(desks)
    roll = rng.random()
    if not desk.up:
        if roll < 0.5:
            desk.start()
            return f"{desk.name} restarted"
        return f"{desk.name} is down"
    if roll < 0.42:
        return f"{desk.name} {staff_action(rng, desk)}{_tended(desk)}"
    if roll < 0.72:
        assert desk.engine is not None
        status = desk.engine.sync_once()
        return f"{desk.name} sync: {status.state.value}, {status.pending} pending{_tended(desk)}"
    if roll < 0.80:
        desk.link.partitioned = not desk.link.partitioned
        return f"{desk.name} {'cut off' if desk.link.partitioned else 'reconnected'}"
    if roll < 0.88:
        desk.link.next_fault = rng.choice(list(OneShot))
        return f"{desk.name} next request: {desk.link.next_fault.value}"
    if roll < 0.93:
        words = staff_action(rng, desk)
        desk.kill()
        return f"{desk.name} {words}, then killed before it could push"
    if roll < 0.97:
        return f"{desk.name} late delivery of {desk.link.deliver_delayed()} held-back requests"
    if desk.old_version:
        desk.upgrade()
        return f"{desk.name} upgraded with its intents still queued"
    return f"{desk.name} idle"


def _deposits_tonight(rng: random.Random, desks: list[SimDesk]) -> list[str]:
    """On half the nights the venue asks deposits from the start: the first desk's
    manager sets them and every connected desk syncs."""
    if rng.random() >= 1 / 2:
        return []
    first = desks[0]
    words = [f"{first.name} {deposits_tonight(first)}"]
    first.record_saved()
    return words + _synced(desks)


def _synced(desks: list[SimDesk]) -> list[str]:
    words = []
    for d in desks:
        if not d.link.partitioned:
            assert d.engine is not None
            words.append(f"{d.name} sync: {d.engine.sync_once().state.value}")
    return words


def _queue_at_the_door(rng: random.Random, desks: list[SimDesk]) -> list[str]:
    """On half the nights guests are waiting from the start: a desk puts them on the
    list and every connected desk syncs, so any desk's freed table can be offered."""
    if rng.random() < 0.5:
        return []
    first = desks[0]
    words = [f"{first.name} {waitlist(rng, first)}" for _ in range(rng.randint(2, 3))]
    first.record_saved()
    return words + _synced(desks)


def _tended(desk: SimDesk) -> str:
    """The desk's waitlist timer and offer holds, which run while it runs."""
    words = tend(desk)
    return f"; {words}" if words else ""


def _tend_all(desks: list[SimDesk], result: SeedResult) -> None:
    """Once healed, the desks' timers and syncs run until no offer moves: each desk then
    knows the others' offer holds and has stepped aside where it should."""
    held: list[object] = []
    for _ in range(TENDING_ROUNDS):
        for d in desks:
            assert d.engine is not None
            d.engine.sync_once()
        moved = [tend(d) for d in desks]
        now_held = [sorted(d.offer_holds.held()) for d in desks if d.offer_holds is not None]
        if not any(moved) and now_held == held:
            return
        held = now_held
    result.violations.append(f"the desks' offers still moved after {TENDING_ROUNDS} rounds")


def _reconnect(desks: list[SimDesk]) -> str:
    states = []
    for _ in range(2):
        for d in desks:
            if d.up and not d.old_version:
                d.link.partitioned = False
                assert d.engine is not None
                states.append(d.engine.sync_once().state.value)
    return "mid-night reconnect: " + ", ".join(states)


def _heal(server: Server, desks: list[SimDesk], result: SeedResult) -> None:
    for d in desks:
        d.link.partitioned, d.link.next_fault = False, None
        if d.old_version:
            d.upgrade()
        elif not d.up:
            d.start()
        d.link.deliver_delayed()
    for _ in range(HEALING_ROUNDS):
        states = []
        for d in desks:
            assert d.engine is not None
            states.append(d.engine.sync_once())
        head = _server_version(server)
        if all(s.pending == 0 for s in states) and all(
            d.engine is not None and d.engine.cursor() == head for d in desks
        ):
            result.trace.append("healed: " + ", ".join(s.state.value for s in states))
            return
    result.violations.append(f"the desks did not settle after {HEALING_ROUNDS} healing rounds")


def _server_version(server: Server) -> int:
    from server.venues.models import VenueVersion

    with server.sessions() as s:
        return int(s.scalars(select(VenueVersion.version)).one())


def _conflicts(desk: SimDesk) -> int:
    from app.models.sync_tables import SyncConflictRow

    assert desk.store is not None
    with desk.store.read() as reader:
        return len(reader.session.scalars(select(SyncConflictRow.id)).all())
