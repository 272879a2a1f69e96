"""The two marketing boxes, "Marketing by email" and "Marketing by text", each with the
sentence staff read out (its tooltip, and in small text beneath).

Consent is opt-in: both start unticked, and show a guest's own answers only once the
guest is known. What a tick means is app.domain.consent's: a record, in today's
wording, for each box that differs from the guest's latest answer.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from app.domain.consent import CURRENT, Channel, ConsentRecord, consents

LABELS = {Channel.EMAIL: "Marketing by email", Channel.SMS: "Marketing by text"}
_SHORT = {Channel.EMAIL: "Email", Channel.SMS: "Text"}


class ConsentBoxes(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.boxes: dict[Channel, QCheckBox] = {}
        for channel, label in LABELS.items():
            box = QCheckBox(label)
            box.setToolTip(CURRENT[channel].sentence)
            self.boxes[channel] = box
            column.addWidget(box)
        # One question a line, under its channel: read out in turn, not run together.
        said = "\n".join(f"{_SHORT[c]}: {CURRENT[c].sentence}" for c in LABELS)
        self.words = QLabel(said, wordWrap=True)
        self.words.setStyleSheet("color: #5a5a5a; font-size: 11px;")
        column.addWidget(self.words)
        self._shown: dict[Channel, bool] = {c: False for c in LABELS}

    def show_answers(self, records: tuple[ConsentRecord, ...] = ()) -> None:
        """The guest's latest answers (none: both unticked)."""
        self._shown = consents(records)
        for channel, box in self.boxes.items():
            box.setChecked(self._shown[channel])

    def tick(self, wanted: dict[Channel, bool]) -> None:
        for channel, box in self.boxes.items():
            box.setChecked(wanted.get(channel, False))

    def wanted(self) -> dict[Channel, bool]:
        return {c: box.isChecked() for c, box in self.boxes.items()}

    def changed(self) -> bool:
        """Whether staff ticked or unticked a box since the answers were shown."""
        return self.wanted() != self._shown
