"""Desk → Put this desk right…: a desk the server can no longer sync with, put right.

After the server's database was put back to an older backup, a desk that had pulled
or sent what the server lost is stopped (app/sync/engine.py says which cure applies,
``SyncStatus.cure``). The cures are the command line's (docs/operations.md, "The
server restored from a backup"); here they run from the window, a manager's call:

* **take the server's night** (the server refused the desk's pulls): the file is
  copied aside, the desk's copy of the night dropped, its unsent changes kept to send;
* **rebuild from the server** (the server holds or lost the desk's own sent changes):
  a manager signs in, the file and the unsent changes are kept aside and the desk is
  registered anew.

Either way the desk's sync is stopped just before its night is dropped, and the desk
then opens again on the same file (``app.services.compose.reopened``), syncing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.permissions import Action, Staff
from app.models.uow import Store
from app.services.common import Clock
from app.services.desk_sync import DeskSync
from app.sync.rebuild import Rebuilt, rebuild_from_server
from app.sync.retake import Retaken, take_servers_night
from app.sync.status import Cure


def retaken_words(done: Retaken) -> tuple[str, ...]:
    """What taking the server's night did, as staff read it (the window and the CLI)."""
    return (
        "This desk takes the server's night again when it next syncs.",
        f"The file as it was is copied to {done.copy}: it holds whatever the server "
        "lost (open it with `backroom --db FILE bookings`).",
        f"{_changes(done.unsent)} not yet sent stay on this desk and are sent after.",
    )


def rebuilt_words(done: Rebuilt) -> tuple[str, ...]:
    """What rebuilding did, as staff read it (the window and the CLI)."""
    reg = done.registration
    return (
        f"Rebuilt this desk from {reg.server_url} (signed in as {reg.staff_name}); it takes "
        "the server's night when it next syncs.",
        f"The file as it was is copied to {done.copy}.",
        f"{_changes(done.unsent)} it had not sent are kept in {done.unsent_file}: enter "
        "again those that still matter.",
    )


def _changes(n: int) -> str:
    return "1 change" if n == 1 else f"{n} changes"


@dataclass
class DeskRepair:
    store: Store
    clock: Clock
    sync: DeskSync
    # Put right: the desk must open again (what the window shows was read before).
    done: bool = field(default=False, init=False)

    def cure(self) -> Cure | None:
        """What puts this desk right now, as its last sync said (None: nothing to)."""
        return self.sync.monitor.status.cure

    def take_servers_night(self, staff: Staff) -> tuple[str, ...]:
        """Copy the file aside and take the server's night again, unsent changes kept.
        Raises ``DomainError`` with nothing changed (the copy could not be made)."""
        staff.require(Action.REGISTER_DESK)
        done = take_servers_night(
            self.store, self.store.path, self.clock(), before_drop=self.sync.stop
        )
        self.done = True
        return retaken_words(done)

    def rebuild(self, staff: Staff, username: str, password: str) -> tuple[str, ...]:
        """A manager's sign-in registers the desk anew; the file and its unsent changes
        are kept aside. Raises ``SyncProblem`` or ``DomainError`` with nothing changed."""
        staff.require(Action.REGISTER_DESK)
        assert self.sync.http is not None, "a connected desk reaches its server"
        done = rebuild_from_server(
            self.store,
            self.store.path,
            self.sync.http,
            username,
            password,
            self.clock(),
            before_drop=self.sync.stop,
        )
        self.done = True
        return rebuilt_words(done)
