"""What the desk shows about sync: a small observable state, free of Qt.

The sync engine (another package) publishes a ``SyncStatus`` whenever its state
changes, from whatever thread it runs on; the desk's views subscribe and adapt
the callback to a Qt signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class SyncState(StrEnum):
    # Not connected to any server: the desk works alone on its own file, as designed.
    STANDALONE = "standalone"
    OFFLINE = "offline"
    CONNECTING = "connecting"
    SYNCING = "syncing"
    UP_TO_DATE = "up to date"
    NEEDS_ATTENTION = "needs attention"
    UPDATE_REQUIRED = "update required"


class Cure(StrEnum):
    """What puts right a desk the server can no longer sync with as it is
    (docs/operations.md, "The server restored from a backup")."""

    # The server refused its pulls (it lost changes this desk had pulled): copy the file
    # aside, drop the night and take the server's again, unsent changes kept
    # (app/sync/retake.py).
    TAKE_SERVER = "take the server's night"
    # The server holds or has lost this desk's own sent changes: keep the file and the
    # unsent changes aside and register the desk anew (app/sync/rebuild.py).
    REBUILD = "rebuild from the server"


@dataclass(frozen=True, slots=True)
class SyncNotice:
    """Something a pull did that staff are told once ("Matched this desk's 'sam' …")."""

    text: str
    # A warning asks someone to act (no manager can sign in here); otherwise it informs.
    warning: bool = False


@dataclass(frozen=True, slots=True)
class SyncStatus:
    # Before anything was tried: not "offline" until the server was found unreachable.
    state: SyncState = SyncState.CONNECTING
    pending: int = 0
    open_conflicts: int = 0
    last_synced: datetime | None = None
    # Why the state is what it is, in staff words ("server unreachable").
    detail: str = ""
    # This desk's changes the server refused that nobody here has acknowledged yet.
    refusals: int = 0
    # The server's clock minus this desk's, as of the last pull that said (None: unknown).
    clock_offset: timedelta | None = None
    # Told once, in the status published after the step that caused them.
    notices: tuple[SyncNotice, ...] = ()
    # Other desks' changes the server refused, open there and not acknowledged here.
    refused_elsewhere: int = 0
    # How many pulls since the desk opened brought rows (another desk's booking, a deposit
    # paid online): the window reads its views again when this grows.
    pulled: int = 0
    # How many of those brought the venue's own rules (a table, an area, a combination, a
    # new version of its deposits and packages): the window reads the venue again too.
    venue_pulled: int = 0
    # What puts this desk right when syncing cannot go on as it is (None: nothing to do).
    cure: Cure | None = None


Listener = Callable[[SyncStatus], None]


class SyncMonitor:
    """The latest status and who wants to hear about the next one; thread-safe."""

    def __init__(self, initial: SyncStatus | None = None) -> None:
        self._lock = threading.Lock()
        self._status = initial or SyncStatus()
        self._listeners: list[Listener] = []

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with the current status now and every published one; returns
        a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)
            current = self._status
        listener(current)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, status: SyncStatus) -> None:
        with self._lock:
            self._status = status
            listeners = list(self._listeners)
        # Outside the lock, so a listener may read ``status`` or unsubscribe.
        for listener in listeners:
            listener(status)
