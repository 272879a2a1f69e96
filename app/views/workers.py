"""Background threads: one owns database writes, one does network work.

A job is a plain callable. It runs on the worker's thread; its result or its
error comes back to the GUI thread by a queued signal, and ``Operations``
broadcasts one ``changed`` per successful write, naming what changed. The GUI
thread never waits for a job.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.domain.errors import DomainError
from app.services.faults import explained
from app.views.changes import Change

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class _Runner(QObject):
    """Lives on the worker thread; runs whatever it is handed, one job at a time."""

    finished = Signal(int, object, object)

    @Slot(int, object)
    def run(self, job_id: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as error:  # every failure goes back to the GUI to be shown
            # A fault of the file (read-only, disk full, damaged) in words, not SQL.
            self.finished.emit(job_id, None, explained(error))
        else:
            self.finished.emit(job_id, result, None)


@dataclass
class _Job:
    done: Done | None
    failed: Failed | None


class Worker(QObject):
    """A named thread with a queue of jobs; results come back on the GUI thread."""

    _submit = Signal(int, object)
    busy_changed = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._jobs: dict[int, _Job] = {}
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.finished.connect(self._finished)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def submit(
        self, fn: Callable[[], Any], done: Done | None = None, failed: Failed | None = None
    ) -> int:
        job_id = next(self._ids)
        self._jobs[job_id] = _Job(done, failed)
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job_id, fn)
        return job_id

    @Slot(int, object, object)
    def _finished(self, job_id: int, result: Any, error: Exception | None) -> None:
        job = self._jobs.pop(job_id)
        try:
            if error is None:
                if job.done:
                    job.done(result)
            elif job.failed:
                job.failed(error)
            else:
                log.error("background job failed", exc_info=error)
        finally:
            if not self._jobs:
                self.busy_changed.emit(False)

    def stop(self) -> None:
        self._thread.quit()
        self._thread.wait()


class Operations(QObject):
    """Runs use cases on the database worker and tells the window what happened.

    ``succeeded`` carries the use case's message ("Confirmed at table 7"),
    ``refused`` the rule's message ("Table 1 seats 1–2, not a party of 4."),
    and ``changed`` which parts of the night changed, once per successful write.
    """

    changed = Signal(object)
    succeeded = Signal(str)
    refused = Signal(str)
    idle = Signal()

    def __init__(self, db: Worker, net: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.net = net
        db.busy_changed.connect(lambda busy: None if busy else self.idle.emit())

    def write(
        self,
        fn: Callable[[], Any],
        changes: Change,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        def on_done(result: Any) -> None:
            message = getattr(result, "message", "")
            if message:
                self.succeeded.emit(message)
            self.changed.emit(changes)
            if done:
                done(result)

        def on_failed(error: Exception) -> None:
            if isinstance(error, DomainError):
                self.refused.emit(str(error))
            else:
                log.error("operation failed", exc_info=error)
                self.refused.emit(f"That did not work and nothing was changed ({error}).")
            if failed:
                failed(error)

        return self.db.submit(fn, on_done, on_failed)

    def stop(self) -> None:
        self.db.stop()
        self.net.stop()
