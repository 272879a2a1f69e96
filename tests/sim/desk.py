"""A simulated desk: a real SQLite file, the real use cases and the real sync engine.

Killing a desk closes its file with whatever was committed and drops the
engine; restarting opens the file again exactly as the app does on start. An
"old" desk speaks a schema version the server no longer accepts until it is
upgraded (restarted with the current code).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from app.models.tables import DeviceRow, OutboxRow
from app.models.uow import Store
from app.protocol import SCHEMA_VERSION
from app.services.desk import Desk
from app.services.offer_holds import OfferHolds
from app.sync.client import RetryPolicy, ServerApi
from app.sync.credentials import DeviceCredentials
from app.sync.engine import SyncEngine
from tests.sim.network import Link
from tests.sim.world import DeskTemplate, SimClock

# One quick retry inside a call (tenacity), no real sleeping: the scheduler owns time.
RETRY = RetryPolicy(attempts=2, wait=0, sleep=lambda _s: None)


class SkewedClock:
    """The desk's wall clock: the world's time plus this machine's error."""

    def __init__(self, world: SimClock, skew: timedelta) -> None:
        self.world = world
        self.skew = skew

    def __call__(self) -> datetime:
        return self.world.now() + self.skew


@dataclass
class SimDesk:
    name: str
    path: Path
    device_id: str
    link: Link
    clock: SkewedClock
    old_version: bool = False
    store: Store | None = None
    desk: Desk | None = None
    engine: SyncEngine | None = None
    # The server holds on its open waitlist offers' tables (tests/sim/waitlist.py tend).
    offer_holds: OfferHolds | None = None
    # Every intent this desk saved, as (device_seq, mutation_id), and its new bookings.
    saved: list[tuple[int, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    # Each saved intent's body as its outbox row held it (what is pushed), by mutation id.
    bodies: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def from_template(
        cls, tpl: DeskTemplate, workdir: Path, link: Link, clock: SkewedClock, old: bool
    ) -> SimDesk:
        path = workdir / tpl.path.name.replace("template", "desk")
        shutil.copyfile(tpl.path, path)
        desk = cls(tpl.name, path, tpl.device_id, link, clock, old_version=old)
        desk.start()
        return desk

    @property
    def up(self) -> bool:
        return self.store is not None

    def start(self) -> None:
        self.store = Store(self.path)
        self.desk = Desk(self.store, self.clock)
        http = httpx.Client(transport=self.link, base_url="http://testserver")
        api = ServerApi(
            http,
            DeviceCredentials(self.device_id).token,
            retry=RETRY,
            # Older than any server accepts (the window starts at 1): it is told to update.
            schema_version=0 if self.old_version else SCHEMA_VERSION,
        )
        self.engine = SyncEngine(self.store, api, wall_clock=self.clock, batch_size=25)
        # A hold's life is counted on the world's time, as a real desk counts it on its own.
        keeper = self.engine.hold_keeper(monotonic=lambda: self.clock.world.now().timestamp())
        self.offer_holds = OfferHolds(keeper)

    def kill(self) -> None:
        assert self.store is not None
        self.store.close()
        self.store = self.desk = self.engine = self.offer_holds = None

    def upgrade(self) -> None:
        """Install the current version; its queued intents go as they were written
        (older ones are read through app.protocol.upgrade)."""
        if self.up:
            self.kill()
        self.old_version = False
        self.start()

    def record_saved(self) -> None:
        """Note the intents a use case just saved, and their bodies (read straight from
        the outbox)."""
        assert self.store is not None
        last = self.saved[-1][0] if self.saved else 0
        with self.store.read() as reader:
            rows = reader.session.execute(
                select(OutboxRow.device_seq, OutboxRow.mutation_id, OutboxRow.body)
                .where(OutboxRow.device_seq > last)
                .order_by(OutboxRow.device_seq)
            ).all()
            device_seq = reader.session.scalars(select(DeviceRow.last_seq)).one()
        self.saved += [(int(s), str(m)) for s, m, _ in rows]
        self.bodies |= {str(m): json.loads(body) for _, m, body in rows}
        assert (self.saved[-1][0] if self.saved else 0) == device_seq, "an intent went missing"
