from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import *  # noqa: F403  (the PostgreSQL fixtures)
from tests.server.harness import FakeClock, Server, start_server

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(database_url: str, clock: FakeClock) -> Iterator[Server]:
    with start_server(database_url, clock) as running:
        yield running
