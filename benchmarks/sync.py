"""Sync figures: a backlog of 500 offline intents, and how fast one desk's change reaches another.

    PYTHONPATH=. python benchmarks/sync.py [--intents 500] [--rounds 40]

Starts a throwaway PostgreSQL (or uses TEST_DATABASE_URL), the real
``backroom-server serve`` (uvicorn) on loopback, and desks on real SQLite files
running the real sync code. Prints the figures recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.permissions import Role  # noqa: E402
from app.services.booking_create import NewBooking  # noqa: E402
from app.sync.runner import SyncRunner  # noqa: E402
from tests.postgres import migrate  # noqa: E402
from tests.sim.pool import postgres  # noqa: E402
from tests.sync import memory_keyring  # noqa: E402
from tests.sync.world import TABLE, DeskClock, SyncDesk, seed_server  # noqa: E402

# Tables that seat a party of 2, and a Wednesday a few months ahead.
SMALL = (1, 2, 3, 4, 5, 6, 7, 8, 13, 14)
# The desks book as staff would, so the nights must lie ahead of now and inside the
# venue's one-year horizon: the benchmark's first night is the one after tomorrow.
FIRST_NIGHT = (datetime.now(UTC) + timedelta(days=2)).replace(
    hour=17, minute=0, second=0, microsecond=0
)


@contextlib.contextmanager
def served(url: str) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BACKROOM_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
    process = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit("backroom-server did not start")
        time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def slots(n: int) -> Iterator[tuple[int, datetime]]:
    """n (table, start) pairs that never overlap: 2-hour slots over as many nights as needed."""
    made = 0
    night = FIRST_NIGHT
    while True:
        for hour in (1, 3, 5):
            for table in SMALL:
                if made == n:
                    return
                yield table, night + timedelta(hours=hour)
                made += 1
        night += timedelta(days=1)


def backlog(http: httpx.Client, workdir: Path, intents: int) -> dict[str, float]:
    desk = SyncDesk.open(
        workdir / "backlog.sqlite3", http, clock=DeskClock(datetime.now(UTC)), retry=None
    )
    desk.engine.sync_once()
    staff = desk.staff(Role.RECEPTION)
    for i, (table, start) in enumerate(slots(intents)):
        desk.desk.create.create_booking(
            staff,
            NewBooking(
                name=f"Guest {i}",
                phone=f"0113 496 {i % 10000:04d}",
                party_size=2,
                start=start,
                duration_minutes=120,
                table_ids=(str(TABLE[table]),),
            ),
        )
    assert desk.pending() == intents
    began = time.perf_counter()
    pushed = desk.engine.push()
    pushed_at = time.perf_counter()
    desk.engine.pull()
    done = time.perf_counter()
    assert pushed == intents and desk.pending() == 0
    desk.close()
    return {"push": pushed_at - began, "pull": done - pushed_at, "total": done - began}


def visibility(http: httpx.Client, workdir: Path, rounds: int) -> list[float]:
    clock = DeskClock(datetime.now(UTC))
    a = SyncDesk.open(workdir / "a.sqlite3", http, name="Reception", clock=clock, retry=None)
    b = SyncDesk.open(workdir / "b.sqlite3", http, name="Bar", clock=clock, retry=None)
    runners = [SyncRunner(d.engine, poll_seconds=30, live_poll_seconds=30) for d in (a, b)]
    for r in runners:
        r.start()
    deadline = time.monotonic() + 20
    while not all(r.events is not None and r.events.connected for r in runners):
        if time.monotonic() > deadline:
            raise SystemExit("live events did not connect")
        time.sleep(0.05)
    staff = a.staff(Role.RECEPTION)
    seconds: list[float] = []
    night = FIRST_NIGHT + timedelta(days=200)  # past every night the backlog booked
    for table, start in slots(rounds):
        began = time.perf_counter()
        made = a.desk.create.create_booking(
            staff,
            NewBooking(
                name="Live Guest",  # one returning guest, as before: same name, same number
                phone="0113 496 0000",
                party_size=2,
                start=start + (night - FIRST_NIGHT),
                duration_minutes=120,
                table_ids=(str(TABLE[table]),),
            ),
        )
        runners[0].nudge()  # what the desk does after every saved change
        while made.booking.id not in b.bookings():
            time.sleep(0.002)
            if time.perf_counter() - began > 30:
                states = [r.monitor.status for r in runners]
                live = [r.events.connected for r in runners if r.events]
                raise SystemExit(f"a change never arrived: {states} live {live}")
        seconds.append(time.perf_counter() - began)
    for r in runners:
        r.stop()
    a.close()
    b.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--intents", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    memory_keyring.install()
    with postgres() as pg:
        name = f"backroom_bench_{uuid.uuid4().hex[:8]}"
        url = pg.create_database(name)
        try:
            migrate(url)
            seed_server(url)
            with (
                served(url) as base,
                httpx.Client(base_url=base) as http,
                tempfile.TemporaryDirectory(prefix="backroom-bench-") as tmp,
            ):
                b = backlog(http, Path(tmp), args.intents)
                v = sorted(visibility(http, Path(tmp), args.rounds))
        finally:
            pg.drop_database(name)
    p95 = v[max(0, round(0.95 * len(v)) - 1)]
    cores = os.cpu_count()
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(
        f"{args.intents} intents queued offline, then reconnect: all confirmed in "
        f"{b['total']:.2f} s (push {b['push']:.2f} s, pull and apply {b['pull']:.2f} s)"
    )
    print(
        f"change on one desk visible on the other (live events), {len(v)} rounds: "
        f"p50 {statistics.median(v) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {v[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
