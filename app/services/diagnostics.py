"""The desk's log files and the report written when something unexpected goes wrong.

Logs go to the platform's user log directory (``BACKROOM_LOG_DIR`` overrides
it), rotated at 1 MB with five old files kept, so a reception PC never fills
its disk with them. A crash report is a plain text file beside the logs: what
failed, where, on which version and platform, and the last lines of the log —
what whoever looks after the computer sends to support.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_FILE = "backroom.log"
MAX_BYTES = 1_000_000
KEEP = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def start_logging(folder: Path) -> Path | None:
    """Log to ``folder``/backroom.log (rotated); the file, or None if it cannot be written.

    A desk that cannot write its log still runs: logging is never why a booking
    cannot be saved.
    """
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler):
            return Path(handler.baseFilename)  # started already (a second window, a test)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    # A log line that cannot be written (a full disk) is dropped, never printed as a
    # traceback over what the desk says about the full disk itself.
    logging.raiseExceptions = False
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return Path(handler.baseFilename)


def desk_version() -> str:
    try:
        return version("backroom")
    except PackageNotFoundError:
        return "unknown (not installed)"


def write_crash_report(
    folder: Path,
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    now: datetime,
) -> Path | None:
    """A report of an unexpected exception, written beside the logs; None if it cannot be."""
    logging.getLogger("backroom.crash").error("unexpected error", exc_info=(kind, error, tb))
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        f"Backroom crash report, {now.astimezone(UTC).isoformat()}",
        f"Backroom {desk_version()}, Python {platform.python_version()}, {platform.platform()}",
        f"Command: {' '.join(sys.argv)}",
        "",
        *traceback.format_exception(kind, error, tb),
        "",
        "The last lines of the log:",
        *_tail(folder / LOG_FILE, 40),
    ]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}.txt"
        path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path


def _tail(path: Path, n: int) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:]
    except OSError:
        return ["(no log file)"]
