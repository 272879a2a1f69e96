"""Real SQLite files made by the real migrations, with The Backroom loaded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.domain.permissions import Role
from app.models.uow import Store
from app.services.demo import ensure_venue
from app.services.desk import Desk


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def store(db_path, clock):
    store = Store(db_path)
    ensure_venue(store, clock)
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
