"""The desk's own backups: taken by themselves, rotated, and put back on request.

Every copy is a whole, verified file (``app.models.backup``) before any older
one is deleted, and a failed copy never deletes anything. Where they go and how
often: ``BACKROOM_BACKUP_DIR`` (default: a ``backups`` folder beside the desk's
file) and ``BACKROOM_BACKUP_HOURS`` (default 1); docs/operations.md, "Backups".
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.domain.backups import BackupPolicy, backup_name, due, kept, taken_at
from app.domain.errors import DomainError
from app.models.backup import backup
from app.models.restore import Restored, restore
from app.services.common import Clock, system_clock

log = logging.getLogger(__name__)
# A half-written copy older than this was left by a desk killed mid-backup (one that is
# being written now is seconds old): the next backup deletes it.
STALE_PARTIAL_S = 600


def policy_from_env() -> BackupPolicy:
    hours = os.environ.get("BACKROOM_BACKUP_HOURS", "1")
    try:
        return BackupPolicy(every=timedelta(hours=float(hours)))
    except ValueError:
        raise DomainError(
            f"BACKROOM_BACKUP_HOURS must be a number of hours, not {hours!r}."
        ) from None


def folder_for(db_path: Path) -> Path:
    override = os.environ.get("BACKROOM_BACKUP_DIR")
    return Path(override).expanduser() if override else db_path.parent / "backups"


@dataclass(frozen=True)
class Taken:
    path: Path
    pages: int
    removed: tuple[Path, ...]


@dataclass
class AutoBackups:
    """Backups of one desk file into one folder, by the policy."""

    db_path: Path
    folder: Path
    policy: BackupPolicy = field(default_factory=BackupPolicy)
    clock: Clock = system_clock

    @classmethod
    def for_desk(cls, db_path: Path, clock: Clock = system_clock) -> AutoBackups:
        return cls(db_path, folder_for(db_path), policy_from_env(), clock)

    def existing(self) -> dict[datetime, Path]:
        """The automatic backups of this desk in the folder, by when they were taken."""
        if not self.folder.is_dir():
            return {}
        found = {}
        for path in self.folder.iterdir():
            at = taken_at(path.name, self.db_path.stem)
            if at is not None and path.is_file():
                found[at] = path
        return found

    def due(self) -> bool:
        taken = self.existing()
        return due(max(taken, default=None), self.clock(), self.policy)

    def take(self) -> Taken:
        """Copy the desk's file now (verified), then delete what the policy no longer keeps."""
        now = self.clock()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._sweep_partials()
        target = self.folder / backup_name(self.db_path.stem, now)
        if target.exists():  # taken this very second (a close just after the timer's)
            return Taken(target, 0, ())
        pages = backup(self.db_path, target)
        taken = self.existing()
        keep = kept(taken, self.policy)
        removed = []
        for at, path in sorted(taken.items()):
            if at not in keep:
                try:
                    path.unlink()
                except OSError as error:  # the next backup tries again
                    log.warning("could not delete the old backup %s: %s", path, error)
                else:
                    removed.append(path)
        log.info(
            "backed up %s to %s (%d pages, %d old removed)",
            self.db_path,
            target,
            pages,
            len(removed),
        )
        return Taken(target, pages, tuple(removed))

    def _sweep_partials(self) -> None:
        # app.models.backup names its temporary file ".<target name>.<random>.partial".
        for path in self.folder.glob(f".{self.db_path.stem}-*.partial"):
            try:
                if time.time() - path.stat().st_mtime > STALE_PARTIAL_S:
                    path.unlink()
                    log.info("deleted %s, left by a backup that was cut short", path)
            except OSError:
                continue

    def restore(self, source: Path) -> Restored:
        restored = restore(source, self.db_path, self.clock())
        log.warning(
            "restored %s from %s; the file as it was: %s",
            self.db_path,
            source,
            restored.aside or "none",
        )
        return restored
