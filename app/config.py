"""Where the desk keeps its database file."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def default_db_path() -> Path:
    """``--db`` beats ``BACKROOM_DB`` beats the user's data directory."""
    env = os.environ.get("BACKROOM_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path("Backroom", appauthor=False) / "backroom.sqlite3"
