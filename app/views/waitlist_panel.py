"""The waitlist: highest priority first, why on hover, and the actions on a waiting party.

Above the list, each open offer (a freed table held for one guest) with the
minutes left and the guest's answer; a timer lets offers expire and pass on.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QItemSelection, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.services.queries import Queries, WaitlistEntry
from app.services.waitlist_offers import OfferView
from app.views.changes import Change
from app.views.commands import Commands
from app.views.models import ID_ROLE, WaitlistModel
from app.views.state import DeskState

# How often offers are checked for expiry; a hold is minutes long, so this is plenty.
SETTLE_MS = 15_000

OFFER_STYLE = "background: #fff4d6; border: 1px solid #d9b45a; border-radius: 4px; padding: 4px;"


class OfferRow(QWidget):
    """ "Table 7 is held for Ben Ho (4) from 20:00 — 8 min left"  [Seat at 7] [Declined]"""

    def __init__(self, offer: OfferView, panel: WaitlistPanel) -> None:
        super().__init__()
        self.offer = offer
        self.label = QLabel(wordWrap=True)
        self.label.setStyleSheet(OFFER_STYLE)
        self.accept = QPushButton(f"Seat at {offer.tables}")
        self.accept.setToolTip("The guest said yes: confirm them on the held table")
        self.decline = QPushButton("Declined")
        self.decline.setToolTip("The guest said no or did not answer: offer it to the next")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.accept)
        row.addWidget(self.decline)
        b = offer.booking
        self.accept.clicked.connect(
            lambda: panel.commands.accept_offer(b.id, offer.seating.table_ids, offer.begins)
        )
        self.decline.clicked.connect(
            lambda: panel.commands.decline_offer(b.id, offer.customer.name)
        )
        self.update_text(panel)

    def update_text(self, panel: WaitlistPanel) -> None:
        venue = panel.state.venue
        left = max(0, int((self.offer.expires_at - panel.queries.clock()).total_seconds() // 60))
        self.label.setText(
            f"Table {self.offer.tables} ({self.offer.why}) is held for "
            f"<b>{self.offer.customer.name}</b>, party of {self.offer.booking.party_size}, "
            f"from {venue.show_time(self.offer.begins)} — {left} min left to answer"
            + (f"<br><small>{html.escape(self.offer.texted)}</small>" if self.offer.texted else "")
        )


class WaitlistPanel(QWidget):
    def __init__(self, queries: Queries, commands: Commands, state: DeskState) -> None:
        super().__init__()
        self.queries, self.commands, self.state = queries, commands, state
        self.model = WaitlistModel(state.venue, queries.clock)
        self.offer_rows: list[OfferRow] = []
        self._minute: datetime | None = None  # the last minute the list was worked out in
        self._build()
        self._wire()
        self.refresh()

    def _build(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().setVisible(False)
        self.setMinimumWidth(360)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.offer = QLabel(wordWrap=True)
        self.offer.setStyleSheet(
            "background: #e7f3ea; border: 1px solid #9cc7a6; border-radius: 4px; padding: 4px;"
        )
        self.offer_button = QPushButton("Offer")
        self.offer_row = QWidget()
        row = QHBoxLayout(self.offer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.offer, 1)
        row.addWidget(self.offer_button)
        self.act_promote = QAction("Promote", self, shortcut=QKeySequence("Ctrl+P"))
        self.act_promote.setToolTip("Give the picked party the best free table now")
        self.act_remove = QAction("Remove", self, shortcut=QKeySequence("Ctrl+Shift+Backspace"))
        self.act_remove.setToolTip("Take the picked party off the waitlist (cancels the request)")
        buttons = QHBoxLayout()
        for action in (self.act_promote, self.act_remove):
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
        buttons.addStretch(1)
        hint = QLabel("Drag a party onto a table to seat them there. Hover a score to see why.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666; font-size: 11px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.offers_box = QVBoxLayout()
        layout.addLayout(self.offers_box)
        layout.addWidget(self.offer_row)
        self.why = QLabel(wordWrap=True)
        self.why.setStyleSheet(
            "color: #333; background: #f4f0fa; border-radius: 4px; padding: 4px;"
        )
        self.why.hide()
        layout.addWidget(self.table, 1)
        layout.addWidget(self.why)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self._offer: tuple[str, tuple[str, ...]] | None = None

    def _wire(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.act_promote.triggered.connect(self._promote)
        self.act_remove.triggered.connect(self._remove)
        self.offer_button.clicked.connect(self._take_offer)
        self.state.day_changed.connect(lambda _: self.refresh())
        # Minutes waited count towards the score: the order can change with no one acting.
        self.state.ticked.connect(self._minute_passed)
        self.state.selection_changed.connect(self._follow_selection)
        self.state.staff_changed.connect(lambda _: self._update_actions())
        self.settle_timer = QTimer(self, interval=SETTLE_MS)
        self.settle_timer.timeout.connect(self._settle)
        self.settle_timer.start()

    def _settle(self) -> None:
        if self.state.staff is not None:
            self.commands.settle_offers()
        for row in self.offer_rows:
            row.update_text(self)

    def on_changed(self, change: Change) -> None:
        if change & (Change.WAITLIST | Change.OCCUPANCY):
            self.refresh()

    def _minute_passed(self, now: datetime) -> None:
        # Scores count whole minutes: the list (and the suggestion, an allocation per
        # party) is worked out again once a minute, not at every tick.
        minute = now.replace(second=0, microsecond=0)
        if minute == self._minute:
            return
        self._minute = minute
        self.refresh()
        self.table.viewport().update()  # minutes waited are worked out as the cells are drawn

    def refresh(self) -> None:
        self.model.set_rows(self.queries.waitlist(self.state.day))
        self._follow_selection(self.state.selected_booking)  # kept if the order changed
        self._show_offers(self.queries.offers(self.state.day))
        self._update_offer()
        self._update_actions()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def select(self, booking_id: str) -> None:
        row = self.model.row_of(booking_id)
        if row >= 0:
            self.table.selectRow(row)

    def _follow_selection(self, booking_id: str | None) -> None:
        """Another panel picked a party: show it here if it waits, else pick nothing."""
        if booking_id is not None and self.model.row_of(booking_id) >= 0:
            self.select(booking_id)
        else:
            self.table.clearSelection()

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        booking_id = self.selected_id()
        if booking_id:
            self.state.select(booking_id)
            entry = self.model.rows()[self.model.row_of(booking_id)]
            self.why.setText(
                f"<b>{entry.customer.name}</b>: priority {entry.score.total} = "
                f"{entry.score.explain()}"
            )
        self.why.setVisible(booking_id is not None)
        self._update_actions()

    def _update_actions(self) -> None:
        picked = self.selected_id() is not None
        for action, permission in (
            (self.act_promote, Action.PROMOTE),
            (self.act_remove, Action.CANCEL),
        ):
            action.setVisible(self.state.may(permission))
            action.setEnabled(picked)

    def _promote(self) -> None:
        booking_id = self.selected_id()
        if booking_id:
            self.commands.promote(booking_id)

    def _remove(self) -> None:
        booking_id = self.selected_id()
        if booking_id:
            self.commands.cancel(booking_id, "removed from the waitlist")

    def _show_offers(self, offers: list[OfferView]) -> None:
        if self.state.may(Action.PROMOTE) and [row.offer for row in self.offer_rows] == offers:
            # The same offers: their rows (and a button staff may be pressing) stay.
            for row in self.offer_rows:
                row.update_text(self)
            return
        for row in self.offer_rows:
            self.offers_box.removeWidget(row)
            row.deleteLater()
        self.offer_rows = []
        if not self.state.may(Action.PROMOTE):
            return
        for offer in offers:
            row = OfferRow(offer, self)
            self.offers_box.addWidget(row)
            self.offer_rows.append(row)

    def _update_offer(self) -> None:
        """With no open offer, suggest the highest-priority party that a free table (or
        join) seats for their whole stay; promoting nobody, or everybody at once, is what
        waitlists get wrong."""
        self._offer = None
        entries: list[WaitlistEntry] = self.model.rows()
        offered = {row.offer.booking.id for row in self.offer_rows}
        entries = [e for e in entries if e.booking.id not in offered]
        if self.state.may(Action.PROMOTE) and not self.offer_rows:
            plan = self.queries.venue().plan
            for entry in entries:
                b = entry.booking
                seating = self.queries.suggest(
                    b.party_size, b.start, b.duration_minutes, entry.customer.vip
                ).seating
                if seating is None:
                    continue
                tables = seating.table_ids
                self._offer = (b.id, tables)
                words = plan.numbers(tables)
                self.offer.setText(
                    f"Table {words} is free at {self.state.venue.show_time(b.start)}: "
                    f"offer it to <b>{entry.customer.name}</b>, party of {b.party_size}"
                )
                self.offer_button.setText(f"Seat at {words}")
                break
        self.offer_row.setVisible(self._offer is not None)

    def _take_offer(self) -> None:
        if self._offer is not None:
            booking_id, tables = self._offer
            self.commands.promote(booking_id, tables)
