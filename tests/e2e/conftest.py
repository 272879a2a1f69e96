from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.postgres import *  # noqa: F403  (the PostgreSQL fixtures)
from tests.postgres import PgServer
from tests.sync.world import seed_server

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
# The desks' clocks start on a Wednesday afternoon at The Backroom. The server is
# the real `backroom-server serve` on the system's clock: it judges a booking the
# same whatever the date (tests/test_far_future.py runs this years ahead).
DESK_START = "2027-03-03T15:00:00+00:00"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.slow)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **extra}


@pytest.fixture
def e2e_db(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    name = f"backroom_e2e_{uuid.uuid4().hex[:10]}"
    url = pg_server.create_database(name, template=pg_template)
    seed_server(url)
    yield url
    pg_server.drop_database(name)


@contextlib.contextmanager
def serving_process(database_url: str) -> Iterator[int]:
    """``backroom-server serve`` as its own process on a free loopback port."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(BACKROOM_DATABASE_URL=database_url, BACKROOM_SSE_KEEPALIVE_SECONDS="2"),
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("backroom-server did not start")
        time.sleep(0.1)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(10)


def server_command(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """One ``backroom-server`` command as its own process, as the README runs it."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        input=stdin,
        env=_env(BACKROOM_DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.fixture
def server_port(e2e_db: str) -> Iterator[int]:
    with serving_process(e2e_db) as port:
        yield port


class DeskClient:
    """Talks to a desk process: one JSON line out, one back."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        assert self.read(60)["ready"]

    def read(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError("the desk process did not answer")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the desk process ended ({self.process.poll()})")
        return json.loads(line)  # type: ignore[no-any-return]

    def call(self, cmd: str, **args: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.process.stdin.flush()
        answer = self.read(60)
        assert "error" not in answer, answer["error"]
        return answer

    def wait_for(self, what: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            state = self.call("state")
            if what(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"gave up waiting; the desk shows {state}")
            time.sleep(0.1)


@pytest.fixture
def desk_process(tmp_path: Path) -> Iterator[Callable[[str, int], DeskClient]]:
    started: list[DeskClient] = []

    def start(name: str, port: int) -> DeskClient:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.e2e.desk_process",
                "--db",
                str(tmp_path / f"{name}.sqlite3"),
                "--server",
                f"http://127.0.0.1:{port}",
                "--name",
                name,
                "--now",
                DESK_START,
            ],
            cwd=ROOT,
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        client = DeskClient(process)
        started.append(client)
        return client

    yield start
    for client in started:
        if client.process.poll() is None:
            with contextlib.suppress(AssertionError, TimeoutError, RuntimeError, OSError):
                client.call("quit")
            client.process.terminate()
        client.process.wait(10)
