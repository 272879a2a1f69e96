"""Bring a desk's database file to the newest schema, as the desk does on start.

A file written by a newer Backroom carries a schema revision this one does not
know: it is refused before Alembic is asked to do anything, so an older desk
never touches (nor half-migrates) a newer desk's data.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import migrations
from app.models.faults import NewerSchema, NoDatabase


def migrations_dir() -> Path:
    override = os.environ.get("BACKROOM_MIGRATIONS")
    if override:
        return Path(override)
    return migrations.script_location("local")


def alembic_config() -> Config:
    # Built in code, not read from alembic.ini: an installed desk has no checkout beside it.
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@functools.cache
def _revisions(location: str) -> tuple[str, frozenset[str]]:
    """The newest revision and every known one of the scripts at ``location``: read once
    per process (Alembic compiles every script file each time it reads them, and a desk,
    or a test, opens its file more than once)."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "the desk ships at least one migration"
    return head, frozenset(s.revision for s in script.walk_revisions())


def newest_revision() -> str:
    return _revisions(str(migrations_dir()))[0]


def known_revisions() -> frozenset[str]:
    return _revisions(str(migrations_dir()))[1]


def check_file(path: Path, *, create: bool) -> str | None:
    """The schema revision of the file at ``path`` (None: a new, empty file), read without
    changing a byte of it; refuses a file this desk must not open or turn into a desk."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        current = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            current = row[0] if row else None
    if current is None:
        if tables or not create:
            raise NoDatabase(
                f"{path} is not a Backroom desk database"
                + (" (it holds other data)" if tables else " (it is empty)")
                + "; nothing was changed. Check the path (--db or BACKROOM_DB)."
            )
        return None
    if current not in known_revisions():
        raise NewerSchema(
            f"This file ({path}) was written by a newer Backroom (schema {current}; this "
            f"desk knows up to {newest_revision()}); update this desk. Nothing in the file "
            "was touched."
        )
    return current


def upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
