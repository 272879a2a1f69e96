"""Changes the venue's other desks made that the server refused: read here, put right there.

Only the desk that made a change holds what was asked, so only it can retry, amend
or discard it; here staff can read it (and tell that desk) and acknowledge it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.venue import Venue
from app.services.refusals import ElsewhereView


class ElsewhereCard(QFrame):
    acknowledge_requested = Signal(object)

    def __init__(self, refusal: ElsewhereView, venue: Venue) -> None:
        super().__init__()
        self.refusal = refusal
        self.setObjectName("elsewhereCard")
        self.setStyleSheet(
            "#elsewhereCard { border: 1px dotted #b0a08a; border-radius: 6px; "
            "background: #fbf8f3; }"
        )
        self.title = QLabel(f"⊘ <b>At {escape(refusal.desk)}: {escape(refusal.what)}</b>")
        self.title.setWordWrap(True)
        self.reason = QLabel(escape(refusal.reason or "The server gave no reason."))
        self.reason.setWordWrap(True)
        local = venue.local(refusal.refused_at)
        when = QLabel(
            f"<span style='color:#666'>Refused {local:%a} {local.day} {local:%b}, "
            f"{venue.show_time(refusal.refused_at)} · put right at {escape(refusal.desk)}</span>"
        )
        when.setWordWrap(True)
        self.acknowledge = QPushButton("Acknowledge")
        self.acknowledge.setToolTip(
            f"Stop showing it on this desk; {refusal.desk} still has it to put right."
        )
        self.acknowledge.clicked.connect(lambda: self.acknowledge_requested.emit((refusal.id,)))
        row = QHBoxLayout()
        row.addWidget(when, 1)
        row.addWidget(self.acknowledge)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addLayout(row)


class ElsewhereSection(QWidget):
    """The other desks' refusals under their own heading; hidden when there are none."""

    acknowledge_requested = Signal(object)

    def __init__(self, venue: Venue) -> None:
        super().__init__()
        self.venue = venue
        self.cards: list[ElsewhereCard] = []
        self.heading = QLabel()
        self.list = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.list)
        self.hide()

    def show_refusals(self, refusals: Sequence[ElsewhereView]) -> None:
        for old in self.cards:
            old.setParent(None)
            old.deleteLater()
        self.cards = []
        for refusal in refusals:
            card = ElsewhereCard(refusal, self.venue)
            card.acknowledge_requested.connect(self.acknowledge_requested)
            self.list.addWidget(card)
            self.cards.append(card)
        self.heading.setText(f"<b>Refused at other desks ({len(self.cards)})</b>")
        self.setVisible(bool(self.cards))
