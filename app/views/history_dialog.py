"""A booking's history: every change from the audit log, oldest first, and what the server said."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.venue import Venue
from app.services.review import BookingHistory

COLUMNS = ("When", "Who", "Desk", "What", "Changes (before → after)", "Server")


class HistoryDialog(QDialog):
    def __init__(
        self,
        history: BookingHistory,
        venue: Venue,
        parent: QWidget | None = None,
        open_messages: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of booking {history.reference}")
        layout = QVBoxLayout(self)
        count = len(history.steps)
        layout.addWidget(
            QLabel(
                f"{history.guest}, booking {history.reference}: {count} change"
                f"{'' if count == 1 else 's'} in this desk's audit log."
            )
        )
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        for step in history.steps:
            changes = "\n".join(str(c) for c in step.changes)
            server = step.server + (" (made offline)" if step.offline else "")
            item = QTreeWidgetItem(
                [
                    venue.show_day_time(step.at),
                    step.staff,
                    step.desk,
                    step.action,
                    changes or "—",
                    server or "—",
                ]
            )
            self.tree.addTopLevelItem(item)
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if open_messages is not None:
            messages = buttons.addButton("Messages…", QDialogButtonBox.ButtonRole.ActionRole)
            messages.clicked.connect(lambda: open_messages())
        layout.addWidget(buttons)
        self.resize(980, 420)

    def rows(self) -> list[list[str]]:
        """What the dialog shows, row by row (for tests and screen readers alike)."""
        return [
            [self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
            for i in range(self.tree.topLevelItemCount())
        ]
