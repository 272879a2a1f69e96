"""The conflicts inbox: each conflict with both sides and the resolutions the server allows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.domain.venue import Venue
from app.services.conflicts import ConflictSide, ConflictView

# Resolutions that keep both bookings on one table need a manager.
OVERRIDES = frozenset({"keep both", "keep both (manager)"})


class ConflictCard(QFrame):
    resolution_chosen = Signal(str, str)

    def __init__(self, conflict: ConflictView, venue: Venue, may_override: bool) -> None:
        super().__init__()
        self.conflict = conflict
        self.setObjectName("conflictCard")
        self.setStyleSheet(
            "#conflictCard { border: 1px solid #de8fbd; border-radius: 6px; background: #fff7fb; }"
        )
        title = QLabel(f"⚠ <b>{conflict.summary}</b>")
        title.setWordWrap(True)
        grid = QGridLayout()
        for col, (heading, side) in enumerate(
            (("This desk", conflict.ours), ("Server", conflict.theirs))
        ):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, col)
            grid.addWidget(QLabel(_side(side, venue)), 1, col)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for resolution in conflict.resolutions:
            if resolution in OVERRIDES and not may_override:
                continue
            button = QPushButton(resolution.capitalize())
            button.clicked.connect(
                lambda _=False, r=resolution: self.resolution_chosen.emit(conflict.id, r)
            )
            self.buttons[resolution] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addLayout(row)


def _side(side: ConflictSide, venue: Venue) -> str:
    return (
        f"{side.guest}, party of {side.party_size}<br>"
        f"{venue.show_time(side.start)} at table {side.tables or '—'}<br>"
        f"<span style='color:#666'>{side.desk} · {side.staff}</span>"
    )


class ConflictsInbox(QWidget):
    """Shows what it is given; the sync work feeds it and acts on ``resolution_chosen``."""

    resolution_chosen = Signal(str, str)

    def __init__(self, venue: Venue, may: object = None) -> None:
        super().__init__()
        self.venue = venue
        self._may = may
        self.cards: list[ConflictCard] = []
        self.empty = QLabel(
            "No conflicts. When two desks change the same booking offline, it shows here."
        )
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #666;")
        self.list = QVBoxLayout()
        self.list.setAlignment(Qt.AlignmentFlag.AlignTop)
        inner = QWidget()
        inner.setLayout(self.list)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

    def show_conflicts(self, conflicts: Sequence[ConflictView]) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        may_override = bool(callable(self._may) and self._may(Action.OVERRIDE_CONFLICT))
        self.cards = []
        for conflict in conflicts:
            card = ConflictCard(conflict, self.venue, may_override)
            card.resolution_chosen.connect(self.resolution_chosen)
            self.list.addWidget(card)
            self.cards.append(card)
        self.empty.setVisible(not self.cards)
