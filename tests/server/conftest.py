from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import *  # noqa: F403  (the PostgreSQL fixtures)
from tests.postgres import PgServer
from tests.server.harness import FakeClock, Seed, Server, seed_database, start_server
from tests.server.payments_harness import paying_server
from tests.server.test_cli import run
from tests.sync.server_restores import backup, restore

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def seeded(pg_server: PgServer, pg_template: str) -> Iterator[tuple[str, Seed]]:
    """A template with the demo venue and staff, so each test copies it in milliseconds."""
    name = f"backroom_seeded_{uuid.uuid4().hex[:8]}"
    seed = seed_database(pg_server.create_database(name, template=pg_template))
    yield name, seed
    pg_server.drop_database(name)


@pytest.fixture
def seeded_url(pg_server: PgServer, seeded: tuple[str, Seed]) -> Iterator[str]:
    name = f"backroom_test_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name, template=seeded[0])
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def paying(
    seeded_url: str, seeded: tuple[str, Seed], clock: FakeClock, stripe_fake
) -> Iterator[Server]:
    """The real server with payments set up against the Stripe fake, on a loopback socket
    so the fake delivers its webhooks to it (tests/server/payments_harness.py)."""
    with paying_server(seeded_url, clock, seeded[1], stripe_fake) as running:
        yield running


@pytest.fixture(scope="module")
def module_server(pg_server: PgServer, seeded: tuple[str, Seed]) -> Iterator[Server]:
    """One server for a whole module whose tests do not disturb each other."""
    name = f"backroom_mod_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name, template=seeded[0])
    with start_server(url, FakeClock(), seeded[1]) as running:
        yield running
    pg_server.drop_database(name)


@pytest.fixture
def server(seeded_url: str, seeded: tuple[str, Seed], clock: FakeClock) -> Iterator[Server]:
    with start_server(seeded_url, clock, seeded[1]) as running:
        yield running


@pytest.fixture
def restores(pg_server, seeded_url: str, tmp_path: Path):
    """``take()`` backs the server's database up; ``put_back()`` restores that copy and
    says so, as an operator does (docs/operations.md)."""

    class Restores:
        dump = tmp_path / "server.dump"

        def take(self) -> None:
            backup(pg_server, seeded_url, self.dump)

        def put_back(self) -> None:
            restore(pg_server, seeded_url, self.dump)
            said = run(seeded_url, "restored")
            assert said.returncode == 0, said.stderr

    return Restores()
