"""One LISTEN connection per server instance, fanned out to its SSE clients.

Every write transaction NOTIFYs "venue:version" on commit, so whichever
instance a desk is connected to hears about writes made through any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict

import psycopg
from sqlalchemy.engine import make_url

from server.versioning import CHANNEL

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, database_url: str) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._subscribers: dict[uuid.UUID, set[asyncio.Queue[int]]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="backroom-notifier")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def subscribe(self, venue_id: uuid.UUID) -> asyncio.Queue[int]:
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._subscribers[venue_id].add(queue)
        return queue

    def unsubscribe(self, venue_id: uuid.UUID, queue: asyncio.Queue[int]) -> None:
        self._subscribers[venue_id].discard(queue)

    def _dispatch(self, payload: str) -> None:
        venue, _, version = payload.partition(":")
        try:
            venue_id, number = uuid.UUID(venue), int(version)
        except ValueError:
            return
        for queue in list(self._subscribers.get(venue_id, ())):
            queue.put_nowait(number)

    async def _run(self) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    delay = 0.5
                    async for note in conn.notifies():
                        self._dispatch(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A restarted database must not take the server down; desks
                # keep polling meanwhile.
                self.listening.clear()
                log.warning("LISTEN connection lost; retrying in %.1fs", delay, exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
