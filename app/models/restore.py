"""Putting a backup back in place of the desk's file, keeping the current file aside first.

The backup is checked before anything is touched: it must be a sound SQLite file
(``PRAGMA integrity_check``) holding a Backroom desk whose schema this desk
knows (an older one is upgraded when the desk next opens it; a newer one is
refused). The current file is then copied aside, verified, and the backup is
copied *into* the desk's file with SQLite's online backup API — one write
transaction, so a desk still running on the file sees either the old night or
the restored one, and a write-ahead log beside the file can never be replayed
onto the wrong pages (which replacing the file by renaming could do). Only a
current file too damaged to be written through SQLite is replaced by renaming,
its log files moved aside with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.domain.errors import DomainError
from app.models.backup import backup
from app.models.faults import Damaged, NoDatabase, explain, integrity_problem
from app.models.migrate import check_file

_LOGS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Restored:
    bookings: int
    aside: Path | None  # the desk's file as it was, or None when there was none


def check_backup(path: Path) -> int:
    """How many bookings the backup at ``path`` holds; refuses one that must not be restored."""
    if not path.is_file():
        raise NoDatabase(f"There is no backup file at {path}; nothing was changed.")
    try:
        check_file(path, create=False)
        uri = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
            first = integrity_problem(problems)
            if first is not None:
                raise Damaged(
                    f"The backup {path} is damaged (SQLite's check: {first}), so it was not "
                    "restored and nothing was changed; choose an older backup."
                )
            return int(conn.execute("SELECT count(*) FROM booking").fetchone()[0])
    except sqlite3.Error as error:
        fault = explain(error, path)
        if fault is None:
            raise
        raise DomainError(
            f"The backup {path} cannot be read ({fault}); nothing was changed."
        ) from None


def restore(source: Path, db_path: Path, now: datetime) -> Restored:
    """Restore the backup at ``source`` as the desk's file ``db_path``."""
    if source.resolve() == db_path.resolve():
        raise DomainError("That is the desk's own file, not a backup of it; nothing was changed.")
    bookings = check_backup(source)
    if not db_path.exists():  # a new computer, set up from the old one's backup
        _replace(source, db_path)
        return Restored(bookings, None)
    aside = _set_aside(db_path, now)
    try:
        _copy_into(source, db_path)
    except sqlite3.DatabaseError:
        # Too damaged to be written through SQLite (it was copied aside as it was).
        _replace(source, db_path)
    return Restored(bookings, aside)


def _set_aside(db_path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = db_path.with_name(f"{db_path.stem}-before-restore-{stamp}{db_path.suffix}")
    try:
        backup(db_path, aside)
    except Damaged:
        # A damaged file is kept byte for byte, with its log, for whoever looks into it.
        for suffix in ("", *_LOGS):
            here = Path(f"{db_path}{suffix}")
            if here.exists():
                shutil.copy2(here, f"{aside}{suffix}")
    return aside


def _copy_into(source: Path, db_path: Path) -> None:
    uri = f"{source.resolve().as_uri()}?mode=ro"
    with (
        contextlib.closing(sqlite3.connect(uri, uri=True)) as backup_file,
        contextlib.closing(sqlite3.connect(db_path, timeout=10)) as live,
    ):
        backup_file.backup(live)
        problems = [row[0] for row in live.execute("PRAGMA integrity_check(5)")]
    if integrity_problem(problems) is not None:
        raise sqlite3.DatabaseError("the restored file did not pass its check")


def _replace(source: Path, db_path: Path) -> None:
    partial = db_path.with_name(f".{db_path.name}.restoring")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    backup(source, partial)
    for suffix in _LOGS:
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{db_path}{suffix}")
    os.replace(partial, db_path)
