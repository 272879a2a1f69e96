"""A dropped LISTEN connection: once it is back, listening desks hear the version they missed."""

from __future__ import annotations

import asyncio
import time

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


async def missed_write_heard_after_reconnect(url: str) -> tuple[int, int, int]:
    notifier = Notifier(url)
    await notifier.start()
    try:
        desk = notifier.subscribe(VENUE_ID)
        await asyncio.wait_for(notifier.listening.wait(), 10)
        while not desk.empty():  # the version as the stream opened
            desk.get_nowait()
        cut = cut_the_listener(url)
        while notifier.listening.is_set():
            await asyncio.sleep(0.01)
        written = write_while_nobody_listens(url)

        heard = await asyncio.wait_for(desk.get(), 15)
    finally:
        await notifier.stop()
    return cut, written, heard


def test_a_desk_hears_of_a_write_made_while_the_listen_connection_was_down(seeded_url):
    cut, written, heard = asyncio.run(missed_write_heard_after_reconnect(seeded_url))

    assert cut == 1
    assert heard == written


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
