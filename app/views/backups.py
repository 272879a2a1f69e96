"""The desk's automatic backups in the window: on a timer, on close, and restore from the menu.

Backups run on the database worker, so the floor never waits for one; a backup
that fails is shown on the notice bar (and logged) and deletes nothing. After a
restore the window closes: everything it shows was read from the file before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.domain.errors import DomainError
from app.services.backups import AutoBackups, Restored, Taken
from app.views.workers import Worker

log = logging.getLogger(__name__)
# How often the window asks whether a backup is due (the policy says how often one is).
CHECK_MS = 5 * 60 * 1000


class BackupController(QObject):
    def __init__(
        self,
        backups: AutoBackups,
        worker: Worker,
        window: QWidget,
        notice: Callable[[str, bool], None],
    ) -> None:
        super().__init__(window)
        self.backups = backups
        self.worker = worker
        self.window = window
        self.notice = notice
        self.restored: Restored | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.when_due)
        self.timer.start()
        QTimer.singleShot(0, self.when_due)

    def when_due(self) -> None:
        self.worker.submit(
            lambda: self.backups.take() if self.backups.due() else None, None, self._failed
        )

    def now(self) -> None:
        """Back up now (the menu's "Back up now")."""
        self.worker.submit(self.backups.take, self._taken, self._failed)

    def on_close(self) -> None:
        """The last copy, taken as the window closes (its workers have stopped)."""
        if self.restored is not None:
            return
        try:
            self.backups.take()
        except Exception:
            log.exception("the backup on close failed")

    def _taken(self, taken: Taken) -> None:
        self.notice(f"Backed up to {taken.path}", True)

    def _failed(self, error: Exception) -> None:
        log.error("automatic backup failed", exc_info=error)
        why = str(error) if isinstance(error, DomainError) else repr(error)
        self.notice(f"The automatic backup failed: {why}", False)

    def choose(self) -> None:
        """The menu's "Restore from a backup…": pick a file, confirm, restore, close."""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Restore the desk from a backup",
            str(self.backups.folder),
            "Desk backups (*.sqlite3);;All files (*)",
        )
        if path:
            self.restore_from(Path(path))

    def restore_from(self, path: Path) -> None:
        answer = QMessageBox.question(
            self.window,
            "Restore from a backup?",
            f"Put the desk back as it was in {path.name}?\n\nThis desk's file as it is now is "
            "kept aside first, so nothing is thrown away. Bookings made after the backup "
            "will not be on this desk; if it is connected, what it had already sent stays "
            "on the server. Backroom closes after restoring; open it again.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.worker.submit(lambda: self.backups.restore(path), self._restored, self._refused)

    def _restored(self, restored: Restored) -> None:
        self.restored = restored
        kept = f"\n\nThe file as it was is kept as {restored.aside}." if restored.aside else ""
        QMessageBox.information(
            self.window,
            "Restored",
            f"The desk was restored from the backup.{kept}\n\n"
            "Backroom will now close; open it again.",
        )
        self.window.close()

    def _refused(self, error: Exception) -> None:
        text = str(error) if isinstance(error, DomainError) else f"It did not work ({error})."
        log.error("restore failed", exc_info=error)
        QMessageBox.warning(self.window, "Not restored", text)
