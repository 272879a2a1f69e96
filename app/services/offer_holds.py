"""Server holds for the waitlist offers a desk has open, so other desks steer round them.

Offers are run by the desk where the table came free (docs/waitlist.md). While
one is open, this keeps a server hold on its table for the guest's stay, so
the other desks see the table held and their allocation leaves it alone;
renewed by the sync runner with the form holds, released when the offer ends.
Best effort: offline, or refused, the offer still stands on this desk.

``reconcile`` talks to the server: call it off the GUI thread.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import NamedTuple

from app.sync.client import SyncProblem
from app.sync.holds import Hold, HoldKeeper


class Offered(NamedTuple):
    """An open offer's tables for the guest's stay, and whom it is offered to until when
    (the server texts the guest: server/messages/offers.py)."""

    table_ids: tuple[str, ...]
    start: datetime
    end: datetime
    booking_id: str | None = None
    until: datetime | None = None


Wanted = dict[str, Offered]


class OfferHolds:
    def __init__(self, keeper: HoldKeeper) -> None:
        self.keeper = keeper
        self._held: dict[str, Hold] = {}
        self._lock = threading.Lock()

    def reconcile(self, wanted: Wanted) -> None:
        """Hold exactly the tables of the offers in ``wanted`` (offer id → tables, time)."""
        with self._lock:
            gone = [key for key in self._held if key not in wanted]
            released = [self._held.pop(key) for key in gone]
            current = dict(self._held)
        for hold in released:
            self.keeper.release(hold)
        for key, offer in wanted.items():
            hold = current.get(key)
            if hold is not None and self.keeper.valid(hold):
                continue
            try:
                taken = self.keeper.acquire(
                    offer.table_ids,
                    offer.start,
                    offer.end,
                    booking_id=offer.booking_id,
                    offer_until=offer.until,
                )
            except SyncProblem:
                continue
            with self._lock:
                self._held[key] = taken

    def held(self) -> dict[str, Hold]:
        with self._lock:
            return dict(self._held)
