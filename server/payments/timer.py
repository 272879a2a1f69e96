"""The reconciliation on a timer inside the server, so a lost webhook is made good (and an
unpaid link past its deadline releases its booking's tables) with no cron job.

Started by the app's lifespan (server/app.py) when payments are set up and
``BACKROOM_PAYMENTS_RECONCILE_SECONDS`` is above 0. Every instance of the server runs
one, but a PostgreSQL advisory lock lets one pass run at a time across all of them:
an instance that finds the lock taken skips its turn. A pass that fails is logged and
the next one runs as usual; shutdown waits for the pass under way to stop between
two links.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from server.payments.links import Payments
from server.payments.reconcile import Reconciled, reconcile

log = logging.getLogger("backroom.payments")

# pg_try_advisory_xact_lock's key for "a reconciliation pass is running" (any instance).
LOCK_KEY = 0x6261636B_726F6F6D  # "backroom"
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)")


def reconcile_once(
    engine: Engine,
    sessions: sessionmaker[Session],
    payments: Payments,
    stopping: threading.Event | None = None,
) -> Reconciled | None:
    """One pass, if no other instance is running one (None: it was). The lock is held by a
    transaction of its own for the pass, and goes with it however the pass ends."""
    stop = stopping.is_set if stopping is not None else (lambda: False)
    with engine.connect() as conn, conn.begin():
        if not conn.execute(_TRY_LOCK, {"key": LOCK_KEY}).scalar():
            return None
        return reconcile(sessions, payments, stop)


class ReconcileTimer:
    def __init__(
        self,
        engine: Engine,
        sessions: sessionmaker[Session],
        payments: Payments,
        every_seconds: float,
    ) -> None:
        self.engine = engine
        self.sessions = sessions
        self.payments = payments
        self.every = every_seconds
        # Turns taken: passes run, turns skipped (another instance's pass), passes failed.
        self.passes = 0
        self.skipped = 0
        self.failures = 0
        self._stopping = threading.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="reconcile")

    async def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.every)
            if self._stopping.is_set():
                return
            await self._pass()

    async def _pass(self) -> None:
        try:
            done = await run_in_threadpool(
                reconcile_once, self.engine, self.sessions, self.payments, self._stopping
            )
        except Exception:
            self.failures += 1
            log.exception("The payments reconciliation failed; it runs again shortly.")
            return
        if done is None:
            self.skipped += 1
            return
        self.passes += 1
        for trouble in done.unreachable:
            log.warning("Payments reconciliation: Stripe not reached for %s", trouble)
        if done.refunds_failed:
            log.warning(
                "Payments reconciliation: %d refund(s) the guest's bank sent back; each "
                "booking reads refund failed, for a manager to refund again.",
                done.refunds_failed,
            )
        if done.outside:
            log.info(
                "Payments reconciliation: %d refund(s), claim(s) or release(s) made at Stripe "
                "outside Backroom recorded on their bookings.",
                done.outside,
            )
        if done.customers_deleted:
            log.info(
                "Payments reconciliation: %d erased guest(s)' Stripe customer(s) deleted.",
                done.customers_deleted,
            )
        if done.changed or done.links_made or done.released:
            log.info(
                "Payments reconciliation: asked about %d link(s), %d changed, %d made, "
                "%d closed, %d booking(s) released.",
                done.asked,
                done.changed,
                done.links_made,
                done.closed,
                done.released,
            )
