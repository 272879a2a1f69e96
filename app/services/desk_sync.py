"""The sync side of a desk connected to a server, as the window uses it.

A desk that works alone has none. The composition root (app/services/compose.py)
builds it around the running ``SyncRunner``; tests build it around a bare
engine or hold keeper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from app.services.form_hold import FormHold
from app.services.offer_holds import OfferHolds
from app.sync.engine import SyncEngine
from app.sync.holds import HoldKeeper
from app.sync.runner import SyncRunner
from app.sync.status import SyncMonitor


def _nothing() -> None:
    return None


@dataclass
class DeskSync:
    monitor: SyncMonitor
    # Server holds on tables (booking forms, waitlist offers); None: take none.
    holds: HoldKeeper | None = None
    # Sync as soon as possible: a change was saved.
    nudge: Callable[[], object] = _nothing
    stop: Callable[[], object] = _nothing
    # Settle the status again after a desk-local change, without a network round.
    restate: Callable[[], object] = _nothing
    # How this desk reaches its server, for what is not a sync step (a rebuild's sign-in).
    http: httpx.Client | None = None
    offer_holds: OfferHolds | None = field(init=False)

    def __post_init__(self) -> None:
        self.offer_holds = OfferHolds(self.holds) if self.holds is not None else None

    @classmethod
    def of_runner(cls, runner: SyncRunner) -> DeskSync:
        engine = runner.engine
        return cls(
            engine.monitor, runner.holds, runner.nudge, runner.stop, engine.restate, engine.api.http
        )

    @classmethod
    def of_engine(cls, engine: SyncEngine, holds: HoldKeeper | None = None) -> DeskSync:
        """An engine that something else drives (a test, the simulator): no runner to nudge."""
        return cls(engine.monitor, holds, restate=engine.restate, http=engine.api.http)

    def form_hold(self) -> FormHold | None:
        """The hold one open booking form keeps on its tables, if this desk takes holds."""
        return FormHold(self.holds) if self.holds is not None else None
