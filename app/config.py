"""Where the desk keeps its database file."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path


def default_db_path() -> Path:
    """``--db`` beats ``BACKROOM_DB`` beats the user's data directory."""
    env = os.environ.get("BACKROOM_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path("Backroom", appauthor=False) / "backroom.sqlite3"


def log_dir() -> Path:
    """``BACKROOM_LOG_DIR`` beats the platform's user log directory."""
    env = os.environ.get("BACKROOM_LOG_DIR")
    if env:
        return Path(env).expanduser()
    return user_log_path("Backroom", appauthor=False)


def demo_requested() -> bool:
    """``BACKROOM_DEMO=1`` (set by ``./scripts/desk``): a desk with no venue yet opens
    straight onto the demo instead of asking; a set-up desk is never touched by it."""
    return os.environ.get("BACKROOM_DEMO", "") == "1"
