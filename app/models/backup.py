"""A consistent copy of the desk's file while the desk keeps running (SQLite online backup).

The copy is written to a temporary file beside the target, checked with
``PRAGMA integrity_check`` and only then renamed to the target's name, so the
target is either a whole, verified copy or not there at all: a damaged
database, a full disk or a pulled USB stick leaves nothing behind, and the
same command can simply be run again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from app.domain.errors import DomainError
from app.models.faults import Damaged, DiskProblem, ReadOnly, explain, integrity_problem
from app.models.uow import no_database


def backup(source: Path, target: Path, *, kept: bool = False) -> int:
    """Copy the database at ``source`` to ``target``; how many pages were copied.

    Refuses to overwrite ``target``, to create its folder, or to leave a copy that
    failed its check. ``kept``: ``source`` is a copy kept aside that nothing writes, read
    as it lies (SQLite's ``immutable``), so not even a journal file appears beside it.
    """
    if not source.is_file():
        raise no_database(source)
    if target.exists():
        raise DomainError(f"{target} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise DomainError(
            f"The folder {target.parent} does not exist; create it first (a backup never "
            "creates folders, so a mistyped path is not mistaken for a new one)."
        )
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise _not_written(target, error) from None
    os.close(fd)
    partial = Path(name)
    try:
        pages = _copy(source, partial, "immutable=1" if kept else "mode=ro")
        if target.exists():
            raise DomainError(f"{target} already exists; choose a new file name.")
        os.replace(partial, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(error, (sqlite3.Error, OSError)):
            fault = explain(error, source)
            if isinstance(fault, Damaged):
                raise fault from None
            raise _not_written(target, error) from None
        raise
    _sync_folder(target.parent)
    return pages


def _not_written(target: Path, error: Exception) -> DomainError:
    """The source is fine; the copy could not be written where it was asked to go."""
    fault = explain(error)
    why = {DiskProblem: "the disk there is full or failing", ReadOnly: "that place is read-only"}
    reason = next((w for kind, w in why.items() if isinstance(fault, kind)), str(error))
    return DomainError(
        f"The backup could not be written to {target}: {reason}. Nothing was left there; "
        "free some space or choose another place, then run the backup again."
    )


def _copy(source: Path, partial: Path, mode: str) -> int:
    # ``mode=ro``: a backup reads the desk's file and never creates or changes it.
    uri = f"{source.resolve().as_uri()}?{mode}"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as live:
        try:
            live.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            # The desk's own file cannot be read: say so, not that the target failed.
            raise explain(error, source) or error from None
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)
            pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check(5)")]
    first = integrity_problem(problems)
    if first is not None:
        raise Damaged(
            f"The database at {source} is damaged, so no backup was written (SQLite's "
            f"check: {first}). Keep the file as it is and restore the last good "
            'backup (docs/operations.md, "Recovery").'
        )
    return pages


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut just after keeps the new name)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
