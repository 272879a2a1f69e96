"""The conflicts inbox: each conflict with both sides and the resolutions the server allows,
and, apart, the changes the server refused, each with its reason and Retry, Amend and
Discard buttons (acted on by app/views/refusal_actions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

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
from app.services.refusals import ElsewhereView, RefusalView
from app.views.refused_elsewhere import ElsewhereSection

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


class RefusalCard(QFrame):
    """One refused change: what it was, the server's reason, and what staff can do about it."""

    acknowledge_requested = Signal(object)
    retry_requested = Signal(int)
    amend_requested = Signal(object)
    discard_requested = Signal(object)

    def __init__(self, refusal: RefusalView, venue: Venue) -> None:
        super().__init__()
        self.refusal = refusal
        self.setObjectName("refusalCard")
        self.setStyleSheet(
            "#refusalCard { border: 1px dashed #d08a3a; border-radius: 6px; background: #fff8ef; }"
        )
        self.title = QLabel(f"⊘ <b>#{refusal.device_seq} {escape(refusal.what)}</b>")
        self.title.setWordWrap(True)
        self.reason = QLabel(escape(refusal.reason or "The server gave no reason."))
        self.reason.setWordWrap(True)
        local = venue.local(refusal.received_at)
        when = QLabel(
            f"<span style='color:#666'>Refused by the server · received "
            f"{local:%a} {local.day} {local:%b}, {venue.show_time(refusal.received_at)}</span>"
        )
        self.retry = QPushButton("Retry")
        self.retry.setEnabled(refusal.retry_blocked is None)
        self.retry.setToolTip(refusal.retry_blocked or "Send the same change again, as of now.")
        self.retry.clicked.connect(lambda: self.retry_requested.emit(refusal.device_seq))
        self.amend = QPushButton("Amend…")
        self.amend.setVisible(refusal.booking_id is not None and refusal.name in AMENDABLE)
        self.amend.clicked.connect(lambda: self.amend_requested.emit(refusal))
        self.discard = QPushButton("Discard…")
        self.discard.setToolTip(
            "Take this refused booking off the desk."
            if refusal.creation
            else "Mark it dealt with; the desk already shows the server's booking."
        )
        self.discard.clicked.connect(lambda: self.discard_requested.emit(refusal))
        row = QHBoxLayout()
        row.addWidget(when, 1)
        for button in (self.retry, self.amend, self.discard):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addLayout(row)


# Refusals with a form to change them in before sending again (a new booking, a move).
AMENDABLE = frozenset({"create_booking", "move_booking"})


class ConflictsInbox(QWidget):
    """Shows what it is given; the window feeds it and acts on its signals.

    ``resolution_chosen`` (conflict id, resolution words) and
    ``acknowledge_requested`` (the device_seqs of the refusals staff have read).
    """

    resolution_chosen = Signal(str, str)
    acknowledge_requested = Signal(object)
    retry_requested = Signal(int)
    amend_requested = Signal(object)
    discard_requested = Signal(object)
    # The ids of other desks' refusals staff here have read.
    acknowledge_elsewhere_requested = Signal(object)
    # Conflicts and refusals together; ``title()`` counts each apart for the dock.
    count_changed = Signal(int)

    def __init__(self, venue: Venue, may: object = None) -> None:
        super().__init__()
        self.venue = venue
        self._may = may
        self.cards: list[ConflictCard] = []
        self.refusal_cards: list[RefusalCard] = []
        self.empty = QLabel(
            "No conflicts. When two desks change the same booking offline, or the server "
            "refuses a change, it shows here."
        )
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #666;")
        self.list = QVBoxLayout()
        self.list.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.refused = self._refused_section()
        self.elsewhere = ElsewhereSection(venue)
        self.elsewhere.acknowledge_requested.connect(self.acknowledge_elsewhere_requested)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setAlignment(Qt.AlignmentFlag.AlignTop)
        column.addLayout(self.list)
        column.addWidget(self.refused)
        column.addWidget(self.elsewhere)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

    def _refused_section(self) -> QWidget:
        section = QWidget()
        self.refused_heading = QLabel("<b>Refused by the server</b>")
        heading = self.refused_heading
        self.acknowledge_all = QPushButton("Acknowledge all")
        self.acknowledge_all.setToolTip(
            "Mark refused changes to existing bookings and the floor as read; a refused new "
            "booking stays until it is retried or discarded."
        )
        self.acknowledge_all.clicked.connect(
            lambda: self.acknowledge_requested.emit(
                tuple(card.refusal.device_seq for card in self.refusal_cards)
            )
        )
        header = QHBoxLayout()
        header.addWidget(heading, 1)
        header.addWidget(self.acknowledge_all)
        self.refusal_list = QVBoxLayout()
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(header)
        layout.addLayout(self.refusal_list)
        section.hide()
        return section

    def count(self) -> int:
        return len(self.cards) + len(self.refusal_cards) + len(self.elsewhere.cards)

    def title(self) -> str:
        """The dock's title: open conflicts and open refusals, each counted apart."""
        conflicts, refused = len(self.cards), len(self.refusal_cards)
        elsewhere = len(self.elsewhere.cards)
        parts = [f"Conflicts ({conflicts})" if conflicts or not (refused or elsewhere) else ""]
        parts.append(f"Refused ({refused})" if refused else "")
        parts.append(f"At other desks ({elsewhere})" if elsewhere else "")
        words = " · ".join(p for p in parts if p)
        return "Conflicts" if words == "Conflicts (0)" else words

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
        self._counted()

    def show_refusals(self, refusals: Sequence[RefusalView]) -> None:
        for old in self.refusal_cards:
            old.setParent(None)
            old.deleteLater()
        self.refusal_cards = []
        for refusal in refusals:
            card = RefusalCard(refusal, self.venue)
            card.acknowledge_requested.connect(self.acknowledge_requested)
            card.retry_requested.connect(self.retry_requested)
            card.amend_requested.connect(self.amend_requested)
            card.discard_requested.connect(self.discard_requested)
            self.refusal_list.addWidget(card)
            self.refusal_cards.append(card)
        self.refused.setVisible(bool(self.refusal_cards))
        self.refused_heading.setText(f"<b>Refused by the server ({len(self.refusal_cards)})</b>")
        self._counted()

    def show_elsewhere(self, refusals: Sequence[ElsewhereView]) -> None:
        self.elsewhere.show_refusals(refusals)
        self._counted()

    def _counted(self) -> None:
        self.empty.setVisible(not self.count())
        self.count_changed.emit(self.count())
