"""A server put back to an older backup, as its operator would: PostgreSQL's own
`pg_dump` and `pg_restore`, then `backroom-server restored`. Fixtures for the tests of
what desks do after it (test_server_restored.py, test_put_right_from_the_window.py),
loaded by conftest.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url

from app.sync.status import SyncState
from tests.postgres import PgServer, pg_bin
from tests.server.test_cli import run
from tests.sync.test_rebuild import book


def postgres_tool(name: str) -> str:
    found = pg_bin()
    if found is None or not (found / name).exists():
        pytest.fail(f"{name} is not installed beside PostgreSQL's initdb", pytrace=False)
    return str(found / name)


def backup(pg_server: PgServer, url: str, to: Path) -> None:
    database = make_url(url).database
    assert database is not None
    dump = [postgres_tool("pg_dump"), "-Fc", "-f", str(to), pg_server.conninfo(database)]
    subprocess.run(dump, check=True, capture_output=True)


def restore(pg_server: PgServer, url: str, backup_file: Path) -> None:
    database = make_url(url).database
    assert database is not None
    command = [postgres_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction"]
    command += ["-d", pg_server.conninfo(database), str(backup_file)]
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture
def restored_server(desks, pg_server, sync_db, tmp_path):
    """Reception and the bar synced Ada; a backup; reception syncs Bo and the bar pulls
    it; the server is restored to the backup. Returns the desks and the bookings."""
    reception, bar = desks(), desks()
    ada = book(reception, 7, name="Ada Lovelace")
    reception.engine.sync_once()
    bar.engine.sync_once()
    kept = tmp_path / "server.dump"
    backup(pg_server, sync_db, kept)
    bo = book(reception, 8, name="Bo Diddley")
    reception.engine.sync_once()
    bar.engine.sync_once()
    restore(pg_server, sync_db, kept)
    return reception, bar, ada.booking, bo.booking


def marked_restored(sync_db: str) -> str:
    said = run(sync_db, "restored")
    assert said.returncode == 0, said.stderr
    return said.stdout


def passed(desk, cursor: int) -> None:
    """New bookings on ``desk`` until the server's newest change is numbered past ``cursor``."""
    for table in (4, 5, 6, 9, 10, 11, 12, 14):
        if desk.engine.cursor() > cursor:
            return
        book(desk, table, name=f"Guest at {table}")
        assert desk.engine.sync_once().state is SyncState.UP_TO_DATE
    raise AssertionError("the server's changes never passed the cursor")


@pytest.fixture
def refused_bar(restored_server, desks, sync_db):
    """After the restore is marked, a new desk's bookings pass the bar's cursor and the
    bar is refused its pull. Returns the bar, the new desk and the two first bookings."""
    _, bar, ada, bo = restored_server
    marked_restored(sync_db)
    door = desks("Door")
    door.engine.sync_once()
    passed(door, bar.engine.cursor())
    assert bar.engine.sync_once().state is SyncState.NEEDS_ATTENTION
    return bar, door, ada, bo
