"""A time field that steps in the venue's 15-minute slots, as bookings are made."""

from __future__ import annotations

from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget

SLOT_MINUTES = 15


class SlotTimeEdit(QTimeEdit):
    """Arrow keys and the wheel move the minutes a slot at a time (typing is free)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setWrapping(True)

    def stepBy(self, steps: int) -> None:
        """QAbstractSpinBox::stepBy: minutes go to the next or previous slot."""
        if self.currentSection() is not QDateTimeEdit.Section.MinuteSection:
            super().stepBy(steps)
            return
        t = self.time()
        minutes = t.hour() * 60 + t.minute()
        if steps > 0:
            slot = (minutes // SLOT_MINUTES + steps) * SLOT_MINUTES
        else:
            slot = (-(-minutes // SLOT_MINUTES) + steps) * SLOT_MINUTES
        self.setTime(t.fromMSecsSinceStartOfDay((slot % (24 * 60)) * 60_000))
