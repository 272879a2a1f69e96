"""The server restored from an older backup: desks that had seen more say so and stop.

A desk's pull asks for the changes after its cursor. A server put back to a backup
numbers its changes from the backup's newest again, so without a check it would
answer a desk ahead of it with nothing until its numbers passed the desk's cursor,
and then with its newer rows only: the desk would skip, silently and for good, every
change made after the restore up to its cursor, and the server would never hear of
the desk's own changes it lost. Here the backup and the restore are PostgreSQL's own
(`pg_dump`, `pg_restore`), as an operator would take them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url

from app.sync.status import SyncState
from tests.postgres import PgServer, pg_bin
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


def test_a_desk_whose_sent_changes_the_server_lost_says_so_and_keeps_sending_nothing(
    restored_server,
):
    reception, _, ada, bo = restored_server
    cy = book(reception, 3, name="Cy Twombly")

    status = reception.engine.sync_once()

    assert status.state is SyncState.NEEDS_ATTENTION
    assert "The server has lost changes #2 to #2 from this desk" in status.detail
    assert "restored from an older backup" in status.detail
    assert status.pending == 1
    assert {ada.id, bo.id, cy.booking.id} <= set(reception.bookings())


def test_a_desk_that_pulled_changes_the_server_lost_is_given_nothing_and_told_why(
    restored_server,
):
    _, bar, ada, bo = restored_server
    cursor = bar.engine.cursor()

    status = bar.engine.sync_once()

    assert status.state is SyncState.NEEDS_ATTENTION
    assert f"has had the venue's changes up to number {cursor}" in status.detail
    assert "restored from an older backup" in status.detail
    assert bar.engine.cursor() == cursor
    assert {ada.id, bo.id} <= set(bar.bookings())
