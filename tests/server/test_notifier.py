"""A dropped LISTEN connection: once it is back, listening desks hear the version they missed."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import psycopg
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy.engine import make_url

from server.events.notifier import APPLICATION_NAME, Notifier, listener_conninfo
from server.settings import Settings
from server.versioning import CHANNEL
from tests.server.harness import VENUE_ID
from tests.server.uvicorn_server import serving


def conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def write_while_nobody_listens(url: str) -> int:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        version = conn.execute(
            "UPDATE venue_versions SET version = version + 1 WHERE venue_id = %s RETURNING version",
            (VENUE_ID,),
        ).fetchone()[0]
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{VENUE_ID}:{version}"))
    return int(version)


def cut_the_listener(url: str) -> int:
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        return conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            (APPLICATION_NAME,),
        ).fetchone()[0]


@contextlib.asynccontextmanager
async def a_listening_desk(url: str) -> AsyncIterator[tuple[Notifier, asyncio.Queue[int]]]:
    """A listener with one desk subscribed, past the version announced as it opened."""
    notifier = Notifier(url)
    await notifier.start()
    try:
        desk = notifier.subscribe(VENUE_ID)
        await asyncio.wait_for(notifier.listening.wait(), 10)
        while not desk.empty():
            desk.get_nowait()
        yield notifier, desk
    finally:
        await notifier.stop()


async def missed_write_heard_after_reconnect(url: str) -> tuple[int, int, int]:
    async with a_listening_desk(url) as (notifier, desk):
        cut = cut_the_listener(url)
        while notifier.listening.is_set():
            await asyncio.sleep(0.01)
        written = write_while_nobody_listens(url)

        heard = await asyncio.wait_for(desk.get(), 15)
    return cut, written, heard


def test_a_desk_hears_of_a_write_made_while_the_listen_connection_was_down(seeded_url):
    cut, written, heard = asyncio.run(missed_write_heard_after_reconnect(seeded_url))

    assert cut == 1
    assert heard == written


def writes_in_one_commit(url: str, count: int) -> list[int]:
    """``count`` versions NOTIFYed in one transaction: PostgreSQL sends them together."""
    with psycopg.connect(conninfo(url)) as conn:
        versions = [
            conn.execute(
                "UPDATE venue_versions SET version = version + 1 WHERE venue_id = %s "
                "RETURNING version",
                (VENUE_ID,),
            ).fetchone()[0]
            for _ in range(count)
        ]
        for version in versions:
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{VENUE_ID}:{version}"))
    return versions


async def heard_of_writes_in_one_commit(url: str, count: int) -> tuple[list[int], list[int]]:
    async with a_listening_desk(url) as (_, desk):
        written = writes_in_one_commit(url, count)
        heard = [await asyncio.wait_for(desk.get(), 10) for _ in written]
    return written, heard


def test_a_desk_hears_every_version_of_many_notifications_arriving_together(seeded_url):
    written, heard = asyncio.run(heard_of_writes_in_one_commit(seeded_url, 40))

    assert heard == written


async def heard_while_announcing(url: str) -> list[int]:
    """A NOTIFY that arrives while the listener reads the versions to announce."""
    with psycopg.connect(conninfo(url)) as blocker:
        blocker.execute("LOCK TABLE venue_versions IN ACCESS EXCLUSIVE MODE")
        notifier = Notifier(url)
        desk = notifier.subscribe(VENUE_ID)
        await notifier.start()
        try:
            with psycopg.connect(conninfo(url), autocommit=True) as other:
                while not other.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE application_name = %s "
                    "AND wait_event_type = 'Lock'",
                    (APPLICATION_NAME,),
                ).fetchone():
                    await asyncio.sleep(0.01)
                other.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{VENUE_ID}:9999"))
            await asyncio.sleep(0.2)  # the NOTIFY reaches the listener's socket first
            blocker.rollback()
            await asyncio.wait_for(notifier.listening.wait(), 10)
            return [await asyncio.wait_for(desk.get(), 10) for _ in range(2)]
        finally:
            await notifier.stop()


def test_a_notification_arriving_while_the_listener_announces_is_not_lost(seeded_url):
    heard = asyncio.run(heard_while_announcing(seeded_url))

    assert 9999 in heard


def test_the_listener_connects_whatever_the_database_password_contains():
    password = "pass word+@%/:x'\\"
    url = make_url("postgresql+psycopg://backroom@db.example:5433/backroom").set(
        password=password, query={"sslmode": "require"}
    )

    parsed = conninfo_to_dict(listener_conninfo(url.render_as_string(hide_password=False)))

    assert parsed == {
        "host": "db.example",
        "port": "5433",
        "user": "backroom",
        "password": password,
        "dbname": "backroom",
        "sslmode": "require",
    }


def test_health_says_whether_the_listener_is_listening(seeded_url):
    with serving(Settings(database_url=seeded_url)) as base, httpx.Client(base_url=base) as http:
        deadline = time.monotonic() + 10
        while (answer := http.get("/health").json())["listener"] != "listening":
            assert time.monotonic() < deadline, answer
            time.sleep(0.05)
        cut_the_listener(seeded_url)
        seen = {http.get("/health").json()["listener"] for _ in range(100) if not time.sleep(0.01)}

    assert answer == {"status": "ok", "listener": "listening"}
    assert "reconnecting" in seen
