"""The manager's "re-arrange the night" dialog: the plan is read before it is applied."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget

from app.services.night_plan import PlannedNight


class NightPlanDialog(QDialog):
    def __init__(self, planned: PlannedNight, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Re-arrange the night of {planned.day:%A %d %B}")
        layout = QVBoxLayout(self)
        waiting = len(planned.plan.still_waiting)
        if planned.changes_anything:
            summary = (
                f"{len(planned.plan.moves)} table change(s) and "
                f"{planned.plan.seated} party(ies) seated from the waitlist; "
                f"{waiting} still waiting. Seated parties are never moved."
            )
        else:
            summary = f"No re-arrangement seats anyone else; {waiting} still waiting."
        layout.addWidget(QLabel(summary))
        self.lines = QListWidget()
        self.lines.addItems(list(planned.lines))
        layout.addWidget(self.lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(planned.changes_anything)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)
