"""Real faults of a desk's file, made with SQLite and the file system, never with mocks.

* ``damage``: overwrite the first page of the bookings table and its indexes, as a
  failing disk would;
* ``from_a_newer_backroom``: stamp the file with a schema revision this desk lacks;
* ``read_only``: make a file or folder read-only for this process (root ignores
  permission bits, so as root the file is made immutable with ``chattr +i``);
* ``full_disk``: SQLite's own page limit on every connection, which fails a write
  that needs a new page with the same SQLITE_FULL a full disk gives;
* ``small_files``: (in a child process) the kernel's file size limit, so a write
  fails with EFBIG and SQLite reports a "disk I/O error".
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

FUTURE_REVISION = "0099"


def damage(db_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            r[0]
            for r in conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'booking' AND rootpage"
            )
        ]
    with open(db_path, "r+b") as f:
        for root in roots:
            f.seek((root - 1) * page_size)
            f.write(b"\x0d" + b"\xff" * 11)


def from_a_newer_backroom(db_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make {path} read-only as root here: {made.stderr.decode()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextlib.contextmanager
def full_disk() -> Iterator[None]:
    """Every SQLite connection opened from here on can grow its file by no page at all."""

    def no_room(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")

    event.listen(Engine, "connect", no_room)
    try:
        yield
    finally:
        event.remove(Engine, "connect", no_room)


def small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))
