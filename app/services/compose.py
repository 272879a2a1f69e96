"""The composition root: one desk file, its services and, when connected, its sync."""

from __future__ import annotations

from pathlib import Path

from app.models.uow import Store
from app.services.common import Clock, system_clock
from app.services.demo import seed_demo
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.sync.link import start_sync


def open_desk(db_path: Path, clock: Clock = system_clock, *, create: bool = True) -> Desk:
    """Open (and migrate) the file, seed the demo on first run, start syncing if connected.

    ``create=False`` opens only an existing desk (``NoDatabase`` otherwise).

    The sync runner (with its hold keeper) runs from here on a background
    thread; stop it with ``desk.sync.stop`` when the desk closes.
    """
    store = Store(db_path, create=create)
    seed_demo(store, clock)
    runner = start_sync(store)
    return Desk(store, clock, DeskSync.of_runner(runner) if runner is not None else None)
