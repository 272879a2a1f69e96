"""A desk killed with SIGKILL in the middle of an automatic backup leaves every earlier
backup and its own file intact; the half-written copy is hidden and swept up later."""

from __future__ import annotations

import contextlib
import gc
import os
import random
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.backups import BackupPolicy
from app.models.uow import Store
from app.services.backups import STALE_PARTIAL_S, AutoBackups
from app.services.demo import ensure_venue

KILLS = 25
START = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def sound(path) -> bool:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _back_up_until_killed(db_path, folder, hour: int, first_done: int) -> None:
    at = START + timedelta(hours=hour)
    auto = AutoBackups(db_path, folder, BackupPolicy(hourly=1000, daily=0), lambda: at)
    auto.take()
    # The parent kills only after this word, so a slow machine cannot turn "killed before
    # its first copy finished" into a missing backup; the kill still lands mid-copy.
    os.write(first_done, b"1")
    while True:
        at += timedelta(minutes=10)
        auto.take()


@pytest.mark.slow
def test_a_kill_during_a_backup_leaves_the_earlier_backups_and_the_desk_intact(tmp_path):
    db_path = tmp_path / "desk.sqlite3"
    store = Store(db_path)
    ensure_venue(store, lambda: START)
    store.close()
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        # Some megabytes, so that a kill lands inside a copy rather than between two.
        conn.execute("CREATE TABLE ballast (b BLOB)")
        conn.executemany("INSERT INTO ballast VALUES (randomblob(4096))", [()] * 3000)
        conn.commit()
    folder = tmp_path / "backups"
    rng = random.Random(20261202)
    gc.freeze()
    try:
        for n in range(KILLS):
            first_done_r, first_done_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    os.close(first_done_r)
                    _back_up_until_killed(db_path, folder, 24 * n, first_done_w)
                finally:
                    os._exit(1)
            os.close(first_done_w)
            with os.fdopen(first_done_r, "rb") as said:
                assert said.read(1) == b"1", "the backing-up desk died before its first copy"
            time.sleep(rng.uniform(0.05, 0.4))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        gc.unfreeze()

    backups = sorted(folder.glob("desk-*.sqlite3"))
    partials = sorted(folder.glob(".desk-*.partial"))
    assert len(backups) >= KILLS, "every finished backup survives the later runs and their kills"
    assert [b for b in backups if not sound(b)] == []
    assert sound(db_path)
    print(f"backup kills: {KILLS}, whole backups {len(backups)}, cut short {len(partials)}")

    for partial in partials:
        old = time.time() - STALE_PARTIAL_S - 1
        os.utime(partial, (old, old))
    later = START + timedelta(days=1000)
    AutoBackups(db_path, folder, BackupPolicy(hourly=1000, daily=0), lambda: later).take()
    assert list(folder.glob(".desk-*.partial")) == []
