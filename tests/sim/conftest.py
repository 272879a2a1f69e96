from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres import *  # noqa: F403  (the PostgreSQL fixtures)

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.postgres)
