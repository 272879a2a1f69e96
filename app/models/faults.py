"""What a fault of the desk's file means, in the words staff and the person who looks after
the computer need: what happened and what to do.

SQLite reports a read-only file or folder, a full or failing disk and a damaged
file with its own error codes; ``explain`` turns one (raised by SQLite itself,
wrapped by SQLAlchemy, or an ``OSError`` from the file system) into a
``StoreFault``, a ``DomainError`` every boundary already shows as it is. A
fault is caught where the desk meets staff — the command line's ``main`` and
the window's database worker — never command by command. A write that fails
this way has been rolled back: nothing was half saved.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from app.domain.errors import DomainError


class StoreFault(DomainError):
    """The desk's file cannot be used as it is now; nothing was changed."""


class NoDatabase(StoreFault):
    """A read-only command, or a named file that does not exist: no desk is created."""


class NewerSchema(StoreFault):
    """The file was written by a newer Backroom; this one must not touch it."""


class ReadOnly(StoreFault):
    pass


class DiskProblem(StoreFault):
    pass


class Damaged(StoreFault):
    pass


class Busy(StoreFault):
    pass


def _where(path: Path | None) -> str:
    return f" ({path})" if path is not None else ""


def read_only(path: Path | None = None) -> ReadOnly:
    return ReadOnly(
        f"This desk's database file{_where(path)} or its folder is read-only, so nothing "
        "was saved. Ask whoever looks after this "
        "computer to make the file and its folder writable, then save again."
    )


def disk_problem(path: Path | None = None, *, full: bool) -> DiskProblem:
    what = "The disk is full" if full else "The disk reported an error"
    return DiskProblem(
        f"{what} while writing this desk's database{_where(path)}, so nothing was saved. "
        "Free some space (or check the disk), then "
        "save again. Everything saved before is safe."
    )


def damaged(path: Path | None = None) -> Damaged:
    return Damaged(
        f"This desk's database file{_where(path)} is damaged (SQLite says the file is "
        "malformed or not a database). Stop using this desk, keep the file as it is, and "
        'restore the last backup (docs/operations.md, "Recovery"); nothing was changed.'
    )


def cannot_open(path: Path | None = None) -> ReadOnly:
    return ReadOnly(
        f"This desk's database file{_where(path)} cannot be opened: its folder is missing or "
        "read-only, or this user may not read it, so nothing was saved. Ask whoever looks "
        "after this computer to make the file and its folder writable, then try again."
    )


def busy(path: Path | None = None) -> Busy:
    return Busy(
        f"Another program is holding this desk's database file{_where(path)} and did not "
        "let go within 10 seconds; nothing was saved. Close it (or wait), then try again."
    )


def integrity_problem(found: list[str]) -> str | None:
    """The first thing ``PRAGMA integrity_check`` found wrong, or None for a sound file."""
    if found == ["ok"]:
        return None
    return next((p for p in found if not p.startswith("***")), found[0]).strip()


def explain(error: BaseException, path: Path | None = None) -> StoreFault | None:
    """The ``StoreFault`` that ``error`` means, or None if it is not a fault of the file."""
    if isinstance(error, StoreFault):
        return error
    cause = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "") or ""
        # Text that no longer decodes was damaged on the disk, not written so by the desk.
        garbled = str(cause).startswith("Could not decode to UTF-8")
        if garbled or name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return damaged(path)
        if name.startswith("SQLITE_READONLY"):
            return read_only(path)
        if name.startswith("SQLITE_FULL"):
            return disk_problem(path, full=True)
        if name.startswith("SQLITE_IOERR"):
            return disk_problem(path, full=False)
        if name.startswith("SQLITE_CANTOPEN"):
            return cannot_open(path)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return busy(path)
        return None
    if isinstance(cause, OSError):
        if cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return disk_problem(path, full=True)
        if cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return read_only(path)
        if cause.errno == errno.EIO:
            return disk_problem(path, full=False)
    return None
