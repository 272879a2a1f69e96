"""An unexpected exception in the window: a plain dialog, a report beside the logs, and the
desk carries on.

Every change staff saved is already committed to the desk's file when its
Save returns, so a failure afterwards loses nothing saved; the dialog says so,
and where the report is. Exceptions raised on other threads are shown on the
window's thread. One dialog at a time: a burst of the same failure writes its
reports without stacking dialogs over the floor plan.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.diagnostics import write_crash_report

TITLE = "Backroom hit a problem"


class CrashGuard(QObject):
    _raised = Signal(object, object, object)

    def __init__(
        self, folder: Path, clock: Callable[[], datetime], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.clock = clock
        self.box: QMessageBox | None = None
        self.reports: list[Path | None] = []
        self._raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.caught
        threading.excepthook = lambda args: self.caught(
            args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
        )

    def caught(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self._raised.emit(kind, error, tb)

    @Slot(object, object, object)
    def _show(self, kind: type[BaseException], error: BaseException, tb: TracebackType) -> None:
        report = write_crash_report(self.folder, kind, error, tb, self.clock())
        self.reports.append(report)
        if self.box is not None and self.box.isVisible():
            return
        where = (
            f"A report was written to {report}; please send it to whoever looks after this "
            "computer."
            if report is not None
            else f"No report could be written (the folder {self.folder} cannot be written to)."
        )
        parent = self.parent()
        self.box = QMessageBox(
            QMessageBox.Icon.Warning,
            TITLE,
            "Something went wrong and the last action may not have finished. Everything you "
            "saved before it is safe in this desk's file.\n\n"
            f"{where}\n\nYou can carry on working; if the desk keeps misbehaving, close it "
            "and open it again.",
            QMessageBox.StandardButton.Ok,
            parent if isinstance(parent, QWidget) else None,
        )
        self.box.setDetailedText(f"{kind.__name__}: {error}")
        self.box.open()
