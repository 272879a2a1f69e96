"""The composition root: one desk file, its services and, when connected, its sync."""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import DomainError
from app.models.uow import Store
from app.services.common import Clock, system_clock
from app.services.desk import Desk
from app.services.desk_sync import DeskSync
from app.services.first_run import FirstRun
from app.sync.link import server_of, start_sync


class NotSetUp(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "This desk has no venue yet. Set it up first: backroom init --demo, "
            "backroom init --venue NAME …, or backroom connect --server URL …"
        )


def open_desk(
    db_path: Path, clock: Clock = system_clock, *, create: bool = True, demo: bool = False
) -> Desk:
    """Open (and migrate) the file, start syncing if connected.

    A file with no venue yet is a first run (app.services.first_run): with ``demo``
    it becomes the demo desk, otherwise it is refused (``NotSetUp``) for the caller
    to ask. The demo night is seeded only into such a fresh file: never into a desk
    that has its venue (a real one, a connected one, or one whose night was emptied
    by a rebuild), which would otherwise push 34 made-up bookings to a real server.

    ``create=False`` opens only an existing desk (``NoDatabase`` otherwise).
    """
    store = Store(db_path, create=create)
    first = FirstRun(store, clock)
    if first.needed():
        if not demo:
            store.close()
            raise NotSetUp()
        first.try_demo()
    return desk_on(store, clock)


def open_first(db_path: Path, clock: Clock = system_clock, *, create: bool = True) -> FirstRun:
    """Open (and migrate) the file for the window, which asks on a first run (FirstRun.needed)
    and then opens the desk with ``desk_on(first.store)``."""
    return FirstRun(Store(db_path, create=create), clock)


def desk_on(store: Store, clock: Clock = system_clock) -> Desk:
    """The desk's services on an open, set-up store.

    The sync runner (with its hold keeper) runs from here on a background
    thread; stop it with ``desk.sync.stop`` when the desk closes.
    """
    runner = start_sync(store)
    return Desk(store, clock, DeskSync.of_runner(runner) if runner is not None else None)


def reopened(desk: Desk) -> Desk | None:
    """The desk opened again with its sync when it was connected to a server while open
    (the window's Desk → Connect to a server…) or put right (Desk → Put this desk
    right…); None when it is as it was.

    Everything the window showed was read before (after taking the server's night this
    desk's own is gone from the file), so the window closes and the desk opens again on
    the same file, syncing.
    """
    if desk.repair is not None and desk.repair.done:
        return desk_on(desk.store, desk.clock)
    if desk.sync is not None or server_of(desk.store)[1] is None:
        return None
    return desk_on(desk.store, desk.clock)
