"""The hold one open booking form keeps on the tables it proposes.

While staff fill in a form, the tables the form would use are held on the
server, so the other desk sees "Sam on Reception is holding table 7" and its
allocator steers round it. Saving sends the hold's fencing token with the
booking if, and only if, the booking landed on exactly the held tables and the
hold is still ours on this machine's monotonic clock. Offline, a form simply
holds nothing: the desk books locally and sync judges the overlap later.

``want`` and ``release`` talk to the server: call them off the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.sync.client import SyncProblem
from app.sync.holds import Hold, HoldKeeper, HoldRefused


@dataclass(frozen=True, slots=True)
class HoldNews:
    held: bool
    # Why not, in words for the form: who holds the table. Empty when offline.
    refusal: str = ""


class FormHold:
    def __init__(self, keeper: HoldKeeper) -> None:
        self.keeper = keeper
        self._hold: Hold | None = None
        self._lock = threading.Lock()

    def want(self, table_ids: Sequence[str], start: datetime, end: datetime) -> HoldNews:
        """Hold these tables for this time, letting go of whatever the form held before."""
        wanted = tuple(sorted(table_ids))
        with self._lock:
            current = self._hold
        if (
            current is not None
            and tuple(sorted(current.table_ids)) == wanted
            and (current.start, current.end) == (start, end)
            and self.keeper.valid(current)
        ):
            return HoldNews(True)
        self.release()
        try:
            hold = self.keeper.acquire(wanted, start, end)
        except HoldRefused as refused:
            return HoldNews(False, str(refused))
        except SyncProblem:
            return HoldNews(False)
        with self._lock:
            self._hold = hold
        return HoldNews(True)

    def token_for(self, table_ids: Sequence[str], start: datetime, end: datetime) -> int | None:
        """The fencing token to send with a booking on these tables, if the hold covers it."""
        with self._lock:
            hold = self._hold
        if hold is None or not set(table_ids) <= set(hold.table_ids):
            return None
        if start < hold.start or end > hold.end:
            return None
        return self.keeper.fencing_token(hold)

    def release(self) -> None:
        with self._lock:
            hold, self._hold = self._hold, None
        if hold is not None:
            self.keeper.release(hold)
