"""A consistent copy of the desk's file while the desk keeps running (SQLite online backup)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.domain.errors import DomainError
from app.models.uow import Store


def backup(store: Store, target: Path) -> int:
    """Copy the live database to ``target``; refuse to overwrite; check the copy."""
    if target.exists():
        raise DomainError(f"{target} already exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(store.path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DomainError(f"The backup at {target} failed its integrity check.")
    return int(pages)
