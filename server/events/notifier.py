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
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from server.versioning import CHANNEL

log = logging.getLogger(__name__)
# How the LISTEN connection shows in pg_stat_activity.
APPLICATION_NAME = "backroom-listener"


def listener_conninfo(database_url: str) -> str:
    """libpq's connection string for the server's own database URL, whatever its password.

    Rendered as keywords, not as a URL: SQLAlchemy leaves a space in a rendered
    password, which libpq's URL parser refuses.
    """
    url = make_url(database_url)
    given = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
    }
    query = {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}
    return make_conninfo("", **{k: v for k, v in given.items() if v is not None}, **query)


class Notifier:
    def __init__(self, database_url: str) -> None:
        self._conninfo = listener_conninfo(database_url)
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
        self._wake(venue_id, number)

    def _wake(self, venue_id: uuid.UUID, version: int) -> None:
        for queue in list(self._subscribers.get(venue_id, ())):
            queue.put_nowait(version)

    async def _announce(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """Tell every listening desk its venue's version as it is now.

        Run once LISTEN is in place after each (re)connect: a NOTIFY sent while
        the connection was down is lost, and a desk must not wait for the next
        write to hear of one it missed. A version a stream already sent is
        skipped by the stream itself.
        """
        venues = [venue for venue, queues in self._subscribers.items() if queues]
        if not venues:
            return
        cursor = await conn.execute(
            "SELECT venue_id, version FROM venue_versions WHERE venue_id = ANY(%s)", (venues,)
        )
        for venue_id, version in await cursor.fetchall():
            self._wake(venue_id, int(version))

    async def _run(self) -> None:
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, application_name=APPLICATION_NAME
                ) as conn:
                    # What arrives while psycopg runs a statement on it (LISTEN itself,
                    # the announcement's read) is handed over here.
                    conn.add_notify_handler(lambda note: self._dispatch(note.payload))
                    await conn.execute(f"LISTEN {CHANNEL}")
                    await self._announce(conn)
                    self.listening.set()
                    delay = 0.5
                    await _hear(conn, self._dispatch)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A restarted database must not take the server down; desks
                # keep polling meanwhile.
                self.listening.clear()
                log.warning("LISTEN connection lost; retrying in %.1fs", delay, exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)


async def _hear(conn: psycopg.AsyncConnection[Any], dispatch: Callable[[str], None]) -> None:
    """Dispatch each notification's payload as it arrives, until the connection fails.

    Every write NOTIFYs every instance, so this runs once per push in each of them.
    psycopg's ``notifies()`` registers the socket with the event loop and drops it again,
    and makes a future, for every notification: 150–230 µs of CPU each on the project's
    machine, against 80–90 µs with the socket watched once and libpq's queue read here
    (benchmarks/listener.py; docs/benchmarks.md, "The listener's socket watched once").
    """
    pgconn = conn.pgconn
    encoding = conn.info.encoding
    loop = asyncio.get_running_loop()
    lost: asyncio.Future[None] = loop.create_future()
    fd = pgconn.socket

    def readable() -> None:
        try:
            pgconn.consume_input()  # raises once the database has gone
            while (note := pgconn.notifies()) is not None:
                dispatch(note.extra.decode(encoding, errors="replace"))
        except Exception as exc:
            # Dropped here, before the next read, so that a closed socket is never watched.
            loop.remove_reader(fd)
            if not lost.done():
                lost.set_exception(exc)

    loop.add_reader(fd, readable)
    try:
        await lost
    finally:
        loop.remove_reader(fd)
