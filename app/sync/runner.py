"""Running a desk's sync engine off the GUI thread.

One background thread (threading, not Qt) calls ``SyncEngine.sync_once``:
at once when nudged (a local change was saved, the live stream says the server
has news), otherwise every ``poll_seconds`` — often when there is no live stream,
rarely when there is. After a failed cycle it waits with exponential backoff and
jitter (tenacity); a nudge cuts the wait short. The UI only calls ``nudge`` and
reads the engine's ``SyncMonitor``; it never waits on the network.
"""

from __future__ import annotations

import logging
import threading

import tenacity

from app.sync.engine import SyncEngine
from app.sync.events import LiveEvents
from app.sync.holds import HoldKeeper
from app.sync.status import SyncState, SyncStatus

log = logging.getLogger(__name__)


class SyncRunner:
    def __init__(
        self,
        engine: SyncEngine,
        *,
        live: bool = True,
        poll_seconds: float = 5.0,
        live_poll_seconds: float = 60.0,
        max_backoff: float = 60.0,
        holds: HoldKeeper | None = None,
    ) -> None:
        self.engine = engine
        self.poll_seconds = poll_seconds
        self.live_poll_seconds = live_poll_seconds
        self.max_backoff = max_backoff
        self.holds = holds
        self.events = LiveEvents(engine.api, engine.cursor, self.nudge) if live else None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def monitor(self):  # noqa: ANN201  (the engine's SyncMonitor)
        return self.engine.monitor

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="backroom-sync", daemon=True)
        self._thread.start()
        if self.events is not None:
            self.events.start()

    def nudge(self) -> None:
        """Sync as soon as possible (safe from any thread)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self.events is not None:
            self.events.stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _cycle(self) -> SyncStatus:
        self._wake.clear()
        try:
            status = self.engine.sync_once()
            if self.holds is not None:
                self.holds.renew_due()
        except Exception:
            # The thread must outlive a bug: the outbox is safe, so report and retry.
            log.exception("sync cycle failed")
            status = self.engine.crashed()
        return status

    def _run(self) -> None:
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_result(
                lambda _s: self.engine.failing and not self._stopping.is_set()
            ),
            wait=tenacity.wait_exponential_jitter(multiplier=1, max=self.max_backoff, jitter=2),
            stop=lambda _state: self._stopping.is_set(),
            sleep=self._sleep,
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        while not self._stopping.is_set():
            status = retrying(self._cycle)
            if self._stopping.is_set():
                return
            live = self.events is not None and self.events.connected
            wait = self.live_poll_seconds if live else self.poll_seconds
            if status is not None and status.pending and status.state is SyncState.SYNCING:
                # Changes saved during the cycle: go again soon, but never spin.
                wait = min(wait, 0.5)
            self._sleep(wait)
