"""Short holds on tables while a booking form is open: acquire, renew, release.

Whether a hold is still ours is judged on this machine's monotonic clock, never
its wall clock (which may be a day out): the hold's lifetime is what the server
granted (its ``expires_at`` minus the server's own time in the answer's Date
header), counted from just *before* the request was sent, less a safety
margin. A hold past that point is treated as lost — its fencing token is not
offered — even if the server might still honour it for a few seconds.

A waitlist offer's ``offer_until`` is a moment on this desk's wall clock (ten minutes
from now); it is sent as the server's moment, moved by the clock difference the last
sync measured, so the guest is told the right time and a desk whose clock is out
still holds its offers.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app import protocol as p
from app.sync.client import Refused, ServerApi, SyncProblem

Monotonic = Callable[[], float]
# Assumed when the server's answer has no Date header (the server's default hold).
DEFAULT_LIFETIME = 120.0
SAFETY_MARGIN = 15.0


@dataclass
class Hold:
    id: str
    fencing_token: int
    table_ids: tuple[str, ...]
    start: datetime
    end: datetime
    # Monotonic seconds after which this desk no longer counts on the hold.
    deadline: float
    lifetime: float


class HoldRefused(SyncProblem):
    """Another desk holds or has booked the table; the message names who."""


class HoldKeeper:
    def __init__(
        self,
        api: ServerApi,
        *,
        monotonic: Monotonic = time.monotonic,
        margin: float = SAFETY_MARGIN,
        staff_id: Callable[[], str | None] = lambda: None,
        server_offset: Callable[[], timedelta | None] = lambda: None,
    ) -> None:
        self.api = api
        self.monotonic = monotonic
        # The server's clock minus this desk's, as the last sync measured it (None: unknown).
        self.server_offset = server_offset
        self.margin = margin
        self.staff_id = staff_id
        self._held: dict[str, Hold] = {}
        self._lock = threading.Lock()

    def acquire(
        self,
        table_ids: Sequence[str],
        start: datetime,
        end: datetime,
        booking_id: str | None = None,
        offer_until: datetime | None = None,
    ) -> Hold:
        """Take a hold for an open form (or a waitlist offer to ``booking_id``'s guest, open
        until ``offer_until``: the server tells the guest); ``HoldRefused`` says who has the
        table."""
        request = p.HoldRequest(
            table_ids=list(table_ids),  # type: ignore[arg-type]
            start=start,
            end=end,
            booking_id=booking_id,  # type: ignore[arg-type]
            staff_id=self.staff_id(),  # type: ignore[arg-type]
            offer_until=self._on_server(offer_until),
        )
        sent = self.monotonic()
        try:
            granted = self.api.take_hold(request)
        except Refused as refused:
            raise HoldRefused(str(refused)) from None
        lifetime = self._lifetime(granted)
        hold = Hold(
            str(granted.id),
            granted.fencing_token,
            tuple(table_ids),
            start,
            end,
            sent + lifetime - self.margin,
            lifetime,
        )
        with self._lock:
            self._held[hold.id] = hold
        return hold

    def _on_server(self, moment: datetime | None) -> datetime | None:
        offset = self.server_offset()
        return moment + offset if moment is not None and offset is not None else moment

    def valid(self, hold: Hold) -> bool:
        return self.monotonic() < hold.deadline

    def fencing_token(self, hold: Hold) -> int | None:
        """The token to send with the booking, or None once the hold may have run out."""
        return hold.fencing_token if self.valid(hold) else None

    def renew(self, hold: Hold) -> bool:
        """Extend a hold while its form is open; False if it ran out (take a new one)."""
        sent = self.monotonic()
        try:
            granted = self.api.renew_hold(hold.id)
        except Refused:
            self.forget(hold)
            return False
        hold.lifetime = self._lifetime(granted)
        hold.deadline = sent + hold.lifetime - self.margin
        return True

    def renew_due(self) -> None:
        """Renew every hold past half its life (the sync runner calls this on each cycle)."""
        with self._lock:
            held = list(self._held.values())
        for hold in held:
            if self.monotonic() >= hold.deadline - hold.lifetime / 2:
                try:
                    self.renew(hold)
                except SyncProblem:
                    continue

    def release(self, hold: Hold) -> None:
        """The form closed: let the tables go (best effort; the server expires it anyway)."""
        self.forget(hold)
        with contextlib.suppress(SyncProblem):
            self.api.release_hold(hold.id)

    def forget(self, hold: Hold) -> None:
        with self._lock:
            self._held.pop(hold.id, None)

    def held(self) -> list[Hold]:
        with self._lock:
            return list(self._held.values())

    def _lifetime(self, granted: p.HoldGranted) -> float:
        server_now = self.api.server_now()
        if server_now is None:
            return DEFAULT_LIFETIME
        return max(0.0, (granted.expires_at - server_now).total_seconds())
