"""The composition root: one desk file, its services and, when connected, its sync."""

from __future__ import annotations

from pathlib import Path

from app.models.uow import Store
from app.services.common import Clock, system_clock
from app.services.demo import ensure_venue, seed_demo
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.sync.link import start_sync


def open_desk(db_path: Path, clock: Clock = system_clock, *, create: bool = True) -> Desk:
    """Open (and migrate) the file, seed the demo on first run, start syncing if connected.

    The demo night is seeded only into a file made just now: never into a desk that
    already has its venue (a real one, a connected one, or one whose night was emptied
    by a rebuild), which would otherwise push 34 made-up bookings to a real server.

    ``create=False`` opens only an existing desk (``NoDatabase`` otherwise).

    The sync runner (with its hold keeper) runs from here on a background
    thread; stop it with ``desk.sync.stop`` when the desk closes.
    """
    store = Store(db_path, create=create)
    if ensure_venue(store, clock):
        seed_demo(store, clock)
    runner = start_sync(store)
    return Desk(store, clock, DeskSync.of_runner(runner) if runner is not None else None)
