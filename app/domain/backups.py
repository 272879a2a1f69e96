"""Which automatic backups of the desk's file to take and which to keep.

The desk's SQLite file is the only copy of the night whenever the internet is
down, so the desk copies it by itself: on close and every ``every`` while open.
It keeps the newest ``hourly`` copies and, beyond them, the newest copy of each
of the last ``daily`` calendar days (in the venue's time), so a fault noticed a
week later can still be undone, while the folder stays a fixed size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.errors import DomainError
from app.domain.venue import LONDON

_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<at>\d{8}T\d{6}Z)\.sqlite3$")


@dataclass(frozen=True)
class BackupPolicy:
    every: timedelta = timedelta(hours=1)
    hourly: int = 24
    daily: int = 14

    def __post_init__(self) -> None:
        if self.every < timedelta(minutes=5):
            raise DomainError("Automatic backups can be taken at most every 5 minutes.")
        if self.hourly < 1 or self.daily < 0:
            raise DomainError("Keep at least the newest automatic backup.")


def backup_name(stem: str, at: datetime) -> str:
    """The file name of an automatic backup of the desk file ``stem`` taken at ``at``."""
    return f"{stem}-{at.astimezone(UTC).strftime(_STAMP)}.sqlite3"


def taken_at(name: str, stem: str) -> datetime | None:
    """When an automatic backup of ``stem`` was taken, from its name (None: not one)."""
    found = _NAME.match(name)
    if found is None or found["stem"] != stem:
        return None
    return datetime.strptime(found["at"], _STAMP).replace(tzinfo=UTC)


def due(last: datetime | None, now: datetime, policy: BackupPolicy) -> bool:
    """Whether the desk should take a backup now (also when the clock went backwards)."""
    return last is None or not last <= now < last + policy.every


def kept(taken: Iterable[datetime], policy: BackupPolicy, zone: str = LONDON) -> set[datetime]:
    """The backups to keep: the newest ``hourly``, and the newest of each of the ``daily``
    most recent days that have one. Every other one may be deleted."""
    newest_first = sorted(set(taken), reverse=True)
    keep = set(newest_first[: policy.hourly])
    tz = ZoneInfo(zone)
    days: dict[object, datetime] = {}
    for at in newest_first:
        days.setdefault(at.astimezone(tz).date(), at)
    keep.update(list(days.values())[: policy.daily])
    return keep
