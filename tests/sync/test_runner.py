"""The background runner: network work off the caller's thread, nudged by local changes."""

from __future__ import annotations

import threading
import time

from app.sync.runner import SyncRunner
from app.sync.status import SyncState
from tests.sync.test_push_and_pull import book


def wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_the_runner_syncs_on_its_own_thread_when_nudged_and_the_monitor_reports_it(desks):
    reception, manager = desks("Reception"), desks("Manager laptop")
    seen: list[tuple[str, SyncState]] = []
    reception.engine.monitor.subscribe(
        lambda s: seen.append((threading.current_thread().name, s.state))
    )
    runner = SyncRunner(reception.engine, live=False, poll_seconds=30)
    runner.start()
    try:
        assert wait_until(lambda: reception.engine.monitor.status.state is SyncState.UP_TO_DATE)
        made = book(reception, 12, party=6)
        waiting = reception.engine.refresh().pending

        runner.nudge()
        synced = wait_until(lambda: reception.pending() == 0)
    finally:
        runner.stop()
    manager.engine.sync_once()

    assert waiting == 1 and synced
    assert made.booking.id in manager.bookings()
    # seen[0] is the status as it stood when the test subscribed (heard on this thread).
    working = {
        name for name, state in seen[1:] if state in (SyncState.CONNECTING, SyncState.SYNCING)
    }
    assert working == {"backroom-sync"}
