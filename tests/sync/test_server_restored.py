"""The server restored from an older backup: desks that had seen more say so and stop.

A desk's pull asks for the changes after its cursor. A server put back to a backup
numbers its changes from the backup's newest again, so without a check it would
answer a desk ahead of it with nothing until its numbers passed the desk's cursor,
and then with its newer rows only: the desk would skip, silently and for good, every
change made after the restore up to its cursor, and the server would never hear of
the desk's own changes it lost. Once new changes pass a desk's cursor, numbers alone
cannot tell: the operator says the database was restored (`backroom-server restored`)
and every desk that pulled from it before is refused until it is put right. Here the
backup and the restore are PostgreSQL's own (`pg_dump`, `pg_restore`), as an operator
would take them.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime

from app.sync.rebuild import rebuild_from_server
from app.sync.retake import take_servers_night
from app.sync.status import Cure, SyncState
from tests.sync.server_restores import marked_restored, passed
from tests.sync.test_rebuild import book
from tests.sync.world import PASSWORD, SyncDesk


def test_a_desk_whose_sent_changes_the_server_lost_says_so_and_keeps_sending_nothing(
    restored_server,
):
    reception, _, ada, bo = restored_server
    cy = book(reception, 3, name="Cy Twombly")

    status = reception.engine.sync_once()

    assert status.state is SyncState.NEEDS_ATTENTION
    assert "The server has lost changes #2 to #2 from this desk" in status.detail
    assert "restored from an older backup" in status.detail
    assert status.cure is Cure.REBUILD
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
    assert status.cure is Cure.TAKE_SERVER
    assert bar.engine.cursor() == cursor
    assert {ada.id, bo.id} <= set(bar.bookings())


def test_a_desk_is_refused_after_a_marked_restore_even_once_new_changes_pass_its_cursor(
    restored_server, desks, sync_db
):
    _, bar, ada, bo = restored_server
    cursor = bar.engine.cursor()
    said = marked_restored(sync_db)
    door = desks("Door")
    assert door.engine.sync_once().state is SyncState.UP_TO_DATE
    passed(door, cursor)

    status = bar.engine.sync_once()

    assert "Marked 1 venue(s) as restored" in said
    assert status.state is SyncState.NEEDS_ATTENTION
    assert "put back to an older backup (its operator said so)" in status.detail
    assert status.cure is Cure.TAKE_SERVER
    assert f"its changes up to number {cursor}" in status.detail
    assert bar.engine.cursor() == cursor
    assert {ada.id, bo.id} <= set(bar.bookings())
    made_since = set(door.bookings()) - {ada.id}
    assert made_since and not made_since & set(bar.bookings())


def test_a_desk_rebuilt_after_a_marked_restore_takes_the_servers_night_and_syncs_on(
    refused_bar, http
):
    bar, door, ada, _ = refused_bar

    rebuild_from_server(
        bar.store, bar.path, http, "alex", PASSWORD, datetime(2026, 11, 25, 16, tzinfo=UTC)
    )
    rebuilt = SyncDesk.attach(bar.path, bar.store, http, bar.clock)
    status = rebuilt.engine.sync_once()

    assert status.state is SyncState.UP_TO_DATE
    assert set(rebuilt.bookings()) == set(door.bookings())
    assert ada.id in rebuilt.bookings()


def test_a_desk_that_takes_the_servers_night_after_a_marked_restore_keeps_and_sends_its_own(
    refused_bar,
):
    bar, door, ada, bo = refused_bar
    di = book(bar, 2, name="Di Fontaine")  # made while the desk was refused

    done = take_servers_night(bar.store, bar.path, datetime(2026, 11, 25, 16, tzinfo=UTC))
    status = bar.engine.sync_once()
    door.engine.sync_once()

    assert done.unsent == 1
    assert status.state is SyncState.UP_TO_DATE and status.pending == 0
    assert set(bar.bookings()) == set(door.bookings())
    assert {ada.id, di.booking.id} <= set(bar.bookings())
    assert bo.id not in bar.bookings()  # the server lost it; the copy kept beside has it
    with closing(sqlite3.connect(done.copy)) as copy:
        kept = copy.execute("SELECT count(*) FROM booking WHERE id = ?", (bo.id,))
        assert kept.fetchone() == (1,)
