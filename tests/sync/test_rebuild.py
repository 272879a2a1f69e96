"""A desk restored from an older backup: the server refuses its changes as numbered
twice, says how to put it right, and rebuilding from the server loses nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime

import pytest

from app.domain.permissions import Role
from app.models.audit_check import check_audit
from app.services.booking_create import NewBooking
from app.sync.client import SyncProblem
from app.sync.rebuild import rebuild_from_server
from app.sync.status import Cure, SyncState
from tests.sync.world import EVENING, PASSWORD, TABLE, SyncDesk


def book(desk, table: int, *, name: str):
    return desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name=name,
            phone=f"0113 496 0{table:03d}",
            party_size=2,
            start=EVENING,
            duration_minutes=120,
            table_ids=(str(TABLE[table]),),
        ),
    )


def restored_from_an_older_backup(desks, http, tmp_path):
    """Ada's booking synced, then a backup, then Bo's booking synced; the file is put back
    to the backup and Cy is booked on it. Returns the desk and the three bookings."""
    desk = desks()
    ada = book(desk, 7, name="Ada Lovelace")
    desk.engine.sync_once()
    old = tmp_path / "backup.sqlite3"
    with closing(sqlite3.connect(desk.path)) as source, closing(sqlite3.connect(old)) as target:
        source.backup(target)
    bo = book(desk, 8, name="Bo Diddley")
    desk.engine.sync_once()
    desk.close()
    shutil.copyfile(old, desk.path)
    for suffix in ("-wal", "-shm"):
        desk.path.with_name(desk.path.name + suffix).unlink(missing_ok=True)
    restored = SyncDesk.attach(desk.path, type(desk.store)(desk.path), http, desk.clock)
    cy = book(restored, 3, name="Cy Twombly")
    return restored, ada.booking, bo.booking, cy.booking


def test_a_desk_behind_the_server_is_told_to_rebuild_instead_of_retrying_for_ever(
    desks, http, tmp_path
):
    desk, *_ = restored_from_an_older_backup(desks, http, tmp_path)

    first, second = desk.engine.sync_once(), desk.engine.sync_once()

    assert first.state is second.state is SyncState.NEEDS_ATTENTION
    assert "already holds change #2 from this desk" in second.detail
    assert "backroom sync --rebuild" in second.detail
    assert second.cure is Cure.REBUILD
    assert second.pending == 1


def test_rebuilding_takes_the_servers_night_and_keeps_the_unsent_change_in_a_file(
    desks, http, tmp_path
):
    desk, ada, bo, cy = restored_from_an_older_backup(desks, http, tmp_path)
    desk.engine.sync_once()

    done = rebuild_from_server(
        desk.store, desk.path, http, "alex", PASSWORD, datetime(2026, 11, 25, 16, tzinfo=UTC)
    )
    rebuilt = SyncDesk.attach(desk.path, desk.store, http, desk.clock)
    status = rebuilt.engine.sync_once()
    taken = set(rebuilt.bookings())
    after = book(rebuilt, 4, name="Di Fontaine")
    again = rebuilt.engine.sync_once()

    assert status.state is SyncState.UP_TO_DATE and status.pending == 0
    assert taken == {ada.id, bo.id}
    kept = json.loads(done.unsent_file.read_text())
    assert done.unsent == 1
    assert [c["entity_id"] for c in kept["changes"]] == [cy.id]
    assert kept["changes"][0]["intent"]["args"]["customer"]["name"] == "Cy Twombly"
    with closing(sqlite3.connect(done.copy)) as copy:
        kept_in_copy = copy.execute("SELECT count(*) FROM booking WHERE id = ?", (cy.id,))
        assert kept_in_copy.fetchone() == (1,)
    assert again.state is SyncState.UP_TO_DATE
    assert set(rebuilt.bookings()) == {ada.id, bo.id, after.booking.id}
    with rebuilt.store.read() as reader:
        assert check_audit(reader.session).problems == []


def test_a_rebuild_whose_sign_in_is_refused_changes_nothing_and_leaves_no_files_behind(
    desks, http, tmp_path
):
    desk, ada, _, cy = restored_from_an_older_backup(desks, http, tmp_path)
    desk.engine.sync_once()
    device_id = desk.engine.device_id
    at = datetime(2026, 11, 25, 16, tzinfo=UTC)

    with pytest.raises(SyncProblem, match="do not match a member of staff"):
        rebuild_from_server(desk.store, desk.path, http, "alex", "not the password", at)

    left = {p.name for p in tmp_path.iterdir()}
    assert not [n for n in left if ".before-rebuild-" in n or ".unsent-" in n]
    assert set(desk.bookings()) == {ada.id, cy.id} and desk.pending() == 1
    assert SyncDesk.attach(desk.path, desk.store, http, desk.clock).engine.device_id == device_id
    # The same second again, with the right password: no copy of the failed try is in the way.
    assert rebuild_from_server(desk.store, desk.path, http, "alex", PASSWORD, at).unsent == 1
