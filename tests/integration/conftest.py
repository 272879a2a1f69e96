"""Real SQLite files made by the real migrations, with The Backroom loaded."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.permissions import Role
from app.models.uow import Store
from app.services.desk import Desk


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def store(db_path: Path, venue_file: Path) -> Iterator[Store]:
    """The demo desk at db_path, as ensure_venue leaves a new file at the tests' START."""
    shutil.copyfile(venue_file, db_path)
    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def desk(store, clock) -> Desk:
    return Desk(store, clock)


def _staff(desk: Desk, role: Role):
    return next(s for s in desk.auth.staff() if s.role is role)


@pytest.fixture
def reception(desk):
    return _staff(desk, Role.RECEPTION)


@pytest.fixture
def manager(desk):
    return _staff(desk, Role.MANAGER)


def counts(db_path: Path) -> dict[str, int]:
    """Rows per table, read through a separate plain connection."""
    with sqlite3.connect(db_path) as conn:
        return {
            name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            for name in ("booking", "booking_table", "customer", "audit_event", "outbox")
        }
