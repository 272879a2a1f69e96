from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.models.uow import Store
from app.services.demo import ensure_venue
from server.app import create_app
from server.settings import Settings
from tests.postgres import *  # noqa: F403  (the PostgreSQL fixtures)
from tests.postgres import PgServer
from tests.server.harness import FakeClock
from tests.sync import memory_keyring
from tests.sync.agreement import FIRST_NIGHT, SharedClock, World
from tests.sync.readme_server import readme_clock, readme_server  # noqa: F401  (fixtures)
from tests.sync.relay import Relay, relayed
from tests.sync.server_restores import refused_bar, restored_server  # noqa: F401  (fixtures)
from tests.sync.world import NOW, SyncDesk, seed_server

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def keyring_in_memory() -> memory_keyring.MemoryKeyring:
    return memory_keyring.install()


@pytest.fixture(scope="session")
def sync_template(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    name = f"backroom_sync_{uuid.uuid4().hex[:8]}"
    seed_server(pg_server.create_database(name, template=pg_template))
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def sync_db(pg_server: PgServer, sync_template: str) -> Iterator[str]:
    name = f"backroom_test_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name, template=sync_template)
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def server_clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def server_app(sync_db: str, server_clock: FakeClock) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=sync_db), clock=server_clock)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def relay(server_app: TestClient) -> Iterator[Relay]:
    client, relay = relayed(server_app)
    relay.client = client  # type: ignore[attr-defined]
    yield relay
    client.close()


@pytest.fixture
def http(relay: Relay) -> httpx.Client:
    """The network between the desks and the server; ``relay.fault`` breaks it."""
    return relay.client  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def desks(tmp_path: Path, http: httpx.Client) -> Iterator:
    opened: list[SyncDesk] = []

    def open_desk(name: str = "Reception", **kwargs) -> SyncDesk:
        desk = SyncDesk.open(tmp_path / f"{name}-{len(opened)}.sqlite3", http, name=name, **kwargs)
        opened.append(desk)
        return desk

    yield open_desk
    for desk in opened:
        desk.close()


@pytest.fixture
def world(sync_db: str, tmp_path: Path) -> Iterator[World]:
    """The server and desks made from a demo file, all on one clock (tests/sync/agreement.py)."""
    clock = SharedClock(FIRST_NIGHT)
    template = tmp_path / "template.sqlite3"
    store = Store(template)
    ensure_venue(store, clock)
    store.close()
    app = create_app(Settings(database_url=sync_db), clock=clock)
    with TestClient(app) as server:
        http, relay = relayed(server)
        yield World(clock, http, sync_db, template, relay)
        http.close()
