"""The night's bookings: search, status filter, and the actions on the picked booking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus
from app.domain.deposit_actions import CLAIMABLE
from app.domain.errors import DomainError
from app.domain.permissions import Action
from app.domain.rules import VenueRules
from app.domain.spend import SPENDING
from app.services.queries import BookingView, Queries
from app.views.cancel_dialog import CancelDialog
from app.views.changes import Change
from app.views.commands import Commands
from app.views.deposit_dialog import SettleDepositDialog
from app.views.deposit_money import DepositMoneyDialog
from app.views.edit_booking import EditBookingDialog
from app.views.give_back_dialog import GiveBackDialog
from app.views.link_actions import copy_link, may_copy, may_send
from app.views.models import ID_ROLE, SORT_ROLE, BookingsModel
from app.views.move_dialog import MoveDialog
from app.views.review_actions import ReviewActions
from app.views.spend_dialog import SpendDialog
from app.views.state import DeskState

S = BookingStatus
# The buttons that move a booking through the status machine, and where each moves it.
STATUS_MOVES = {
    "Confirm": S.CONFIRMED,
    "Seat": S.SEATED,
    "Complete": S.COMPLETED,
    "No-show": S.NO_SHOW,
}
FILTERS: dict[str, frozenset[BookingStatus]] = {
    "Upcoming and seated": frozenset({S.PENDING, S.CONFIRMED, S.SEATED}),
    "All": frozenset(S),
    "To arrive": frozenset({S.PENDING, S.CONFIRMED}),
    "Seated": frozenset({S.SEATED}),
    "Pending deposit": frozenset({S.PENDING}),
    "Finished": frozenset({S.COMPLETED, S.NO_SHOW, S.CANCELLED}),
    "Waitlisted": frozenset({S.WAITLISTED}),
    "In conflict": frozenset({S.CONFLICT}),
}


# The list's columns sized apart from their contents.
GUEST, DEPOSIT = (BookingsModel.columns.index(name) for name in ("Guest", "Deposit"))
# What the deposit column is wide enough to show on one line; longer words wrap.
DEPOSIT_FITS = "£000.00 owed"

# The buttons under the list: five to a row, with the long names shortened.
PER_ROW = 4
SHORT = {
    "Cancel booking": "Cancel",
    "Send payment link": "Send link",
    "Claim deposit…": "Claim…",
    "Refund deposit…": "Refund…",
    "Money given back…": "Given back…",
}


class BookingsFilter(QSortFilterProxyModel):
    """Rows whose status is in the chosen set and whose guest, ref or table match the text."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: frozenset[BookingStatus] = FILTERS["Upcoming and seated"]
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, statuses: frozenset[BookingStatus], text: str) -> None:
        self.beginFilterChange()
        self.statuses, self.text = statuses, text.strip().lower()
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        """QSortFilterProxyModel::filterAcceptsRow: status set, then free text."""
        model = self.sourceModel()
        assert isinstance(model, BookingsModel)
        view: BookingView = model.rows()[source_row]
        if view.booking.status not in self.statuses:
            return False
        if not self.text:
            return True
        haystack = " ".join(
            (view.customer.name, view.customer.phone, view.booking.reference, view.tables)
        ).lower()
        return self.text in haystack


class BookingsList(QWidget):
    # The guest messages of this booking were asked for (the window opens them).
    messages_requested = Signal(str)

    def __init__(self, queries: Queries, commands: Commands, state: DeskState) -> None:
        super().__init__()
        self.queries, self.commands, self.state = queries, commands, state
        self.model = BookingsModel(state.venue)
        self.proxy = BookingsFilter()
        self.proxy.setSourceModel(self.model)
        self._build()
        self._wire()
        self.refresh()

    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Search name, phone, ref or table  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItems(list(FILTERS))
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GUEST, QHeaderView.ResizeMode.Stretch)
        # A deposit can be described at length ("£60.00 paid (card machine)"); sized to
        # its contents the column left the guest's name a few pixels in the side panel.
        # It keeps the width of a short amount owed, longer words wrap (or are cut short
        # past two lines), the row's tooltip says it whole, and staff can widen it.
        header.setSectionResizeMode(DEPOSIT, QHeaderView.ResizeMode.Interactive)
        margin = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 8
        header.resizeSection(
            DEPOSIT, self.table.fontMetrics().horizontalAdvance(DEPOSIT_FITS) + margin
        )
        # The reference is searched and shown on hover; the column is for a wider window.
        self.table.setColumnHidden(6, True)
        self.setMinimumWidth(430)
        self.actions_by_name: dict[str, QAction] = {}
        self.cancel_dialog: CancelDialog | None = None
        self.edit_dialog: EditBookingDialog | None = None
        self.deposit_dialog: SettleDepositDialog | None = None
        self.money_dialog: DepositMoneyDialog | None = None
        self.give_back_dialog: GiveBackDialog | None = None
        self.spend_dialog: SpendDialog | None = None
        # A booking's history, opened as the Review menu opens it (managers only).
        self.review = ReviewActions(self.commands.desk, self.state, self)
        # Two rows, so that each button keeps its whole name in the narrow side panel.
        buttons = QGridLayout()
        buttons.setHorizontalSpacing(4)
        for i, (name, action, key, run) in enumerate(
            (
                ("Confirm", Action.CONFIRM, "Ctrl+Shift+C", self.commands.confirm),
                ("Seat", Action.SEAT, "Ctrl+Shift+S", self.seat),
                ("Complete", Action.COMPLETE, "Ctrl+Shift+D", self.commands.complete),
                ("No-show", Action.NO_SHOW, "Ctrl+Shift+N", self.commands.no_show),
                ("Cancel booking", Action.CANCEL, "Ctrl+Shift+X", self._cancel),
                ("Move…", Action.MOVE, "Ctrl+M", self._move),
                ("Edit…", Action.EDIT_DETAILS, "Ctrl+E", self.edit),
                ("Spend…", Action.RECORD_SPEND, "Ctrl+Shift+P", self.spend),
                (
                    "Send payment link",
                    Action.REQUEST_DEPOSIT,
                    "Ctrl+Shift+L",
                    self.commands.request_link,
                ),
                ("Copy link", Action.REQUEST_DEPOSIT, "Ctrl+Shift+K", self.copy_link),
                ("Resend link", Action.RESEND_DEPOSIT_LINK, "Ctrl+Shift+U", self.resend_link),
                ("Claim deposit…", Action.CLAIM_DEPOSIT, "Ctrl+Shift+G", self.claim),
                ("Refund deposit…", Action.REFUND_DEPOSIT, "Ctrl+Shift+R", self.refund),
                ("Money given back…", Action.REFUND_DEPOSIT, "Ctrl+Shift+Y", self.given_back),
                ("Messages…", Action.TEXT_GUEST, "Ctrl+Shift+M", self.messages_requested.emit),
                # No shortcut of its own: the Review menu's Ctrl+Shift+H opens the same.
                ("History…", Action.VIEW_REPORTS, "", self.review.history),
            )
        ):
            qaction = QAction(name, self, shortcut=QKeySequence(key))
            qaction.setData(action)
            qaction.setIconText(SHORT.get(name, name))
            qaction.triggered.connect(self._on_selected(run))
            self.actions_by_name[name] = qaction
            # The same actions on the list's context menu.
            self.table.addAction(qaction)
            button = QToolButton()
            button.setDefaultAction(qaction)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button, i // PER_ROW, i % PER_ROW)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _wire(self) -> None:
        self.search.textChanged.connect(lambda _: self._apply_filter())
        self.status.currentTextChanged.connect(lambda _: self._apply_filter())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _: self.actions_by_name["Edit…"].trigger())
        self.state.day_changed.connect(lambda _: self.refresh())
        self.state.ticked.connect(lambda _: self._update_actions())
        self.state.selection_changed.connect(self._follow_selection)
        self.state.staff_changed.connect(lambda _: self._update_actions())

    def _on_selected(self, run: Callable[[str], object]) -> Callable[[], None]:
        def trigger() -> None:
            booking_id = self.selected_id()
            if booking_id:
                run(booking_id)

        return trigger

    def _cancel(self, booking_id: str) -> None:
        view = self.queries.booking(booking_id)
        if view is not None:
            self.cancel_dialog = CancelDialog(view, self.state.venue, self.commands, self)
            self.cancel_dialog.open()

    def seat(self, booking_id: str) -> None:
        """Seat the party; one that still owes its deposit is asked for it first."""
        view = self.queries.booking(booking_id)
        if view is None:
            return
        if view.booking.deposit_settled:
            self.commands.seat(booking_id)
            return
        self.deposit_dialog = SettleDepositDialog(view, self.commands, self.state, self)
        self.deposit_dialog.open()

    def claim(self, booking_id: str) -> None:
        """A no-show's deposit claimed from the card, after the amount and card are shown."""
        self._money(booking_id, claim=True)

    def refund(self, booking_id: str) -> None:
        """(Part of) a deposit paid online refunded, after the amount is confirmed."""
        self._money(booking_id, claim=False)

    def given_back(self, booking_id: str) -> None:
        """Record money given back outside Stripe (cash, card machine, bank transfer)."""
        try:
            offer = self.commands.give_back_offer(booking_id)
        except DomainError as refused:
            self.commands.tell(str(refused), ok=False)
            return
        self.give_back_dialog = GiveBackDialog(offer, self.commands, self)
        self.give_back_dialog.open()

    def _money(self, booking_id: str, *, claim: bool) -> None:
        view = self.queries.booking(booking_id)
        if view is None:
            return
        try:
            offer = self.commands.deposit_offer(booking_id, claim=claim)
        except DomainError as refused:
            self.commands.tell(str(refused), ok=False)
            return
        self.money_dialog = DepositMoneyDialog(view, offer, self.commands, self, claim=claim)
        self.money_dialog.open()

    def copy_link(self, booking_id: str) -> None:
        """Put the booking's payment link on the clipboard, saying until when it is open."""
        view = self.queries.booking(booking_id)
        if view is None:
            return
        try:
            self.commands.tell(copy_link(view, self.state.venue))
        except DomainError as error:
            self.commands.tell(str(error), ok=False)

    def resend_link(self, booking_id: str) -> None:
        """Ask the server to send the guest the live link again (a manager's action)."""
        self.commands.resend_link(booking_id)

    def _move(self, booking_id: str) -> None:
        view = self.queries.booking(booking_id)
        if view is not None:
            MoveDialog(view, self.queries, self.commands, self.state, self).open()

    def edit(self, booking_id: str) -> None:
        """Open the edit dialog on a booking (the list, the floor and the timeline)."""
        view = self.queries.booking(booking_id)
        if view is None or not self.state.may(Action.EDIT_DETAILS):
            return
        self.edit_dialog = EditBookingDialog(view, self.queries, self.commands, self.state, self)
        self.edit_dialog.open()

    def spend(self, booking_id: str) -> None:
        """What a seated or departed party spent, against its tables' minimum."""
        view = self.queries.booking(booking_id)
        if view is not None:
            self.spend_dialog = SpendDialog(view, view.spend, self.commands, self)
            self.spend_dialog.open()

    def _apply_filter(self) -> None:
        self.proxy.set_filter(FILTERS[self.status.currentText()], self.search.text())

    def on_changed(self, change: Change) -> None:
        if change & Change.BOOKINGS:
            self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self.queries.bookings_on(self.state.day))
        self._update_actions()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        booking_id = self.selected_id()
        if booking_id:
            self.state.select(booking_id)
        self._update_actions()

    def _follow_selection(self, booking_id: str | None) -> None:
        if booking_id is not None and booking_id == self.selected_id():
            return
        row = self.model.row_of(booking_id) if booking_id else -1
        if row < 0:
            self.table.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            # Picked elsewhere (the money badge's list) but hidden by the filter: show it.
            self.search.clear()
            self.status.setCurrentText("All")
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def _offer_refusal(self, booking_id: str, *, claim: bool) -> str:
        try:
            self.commands.deposit_offer(booking_id, claim=claim)
        except DomainError as refused:
            return str(refused)
        return ""

    def _give_back_refusal(self, booking_id: str) -> str:
        try:
            self.commands.give_back_offer(booking_id)
        except DomainError as refused:
            return str(refused)
        return ""

    def _update_actions(self) -> None:
        booking_id = self.selected_id()
        row = self.model.row_of(booking_id) if booking_id else -1
        picked = self.model.rows()[row].booking if row >= 0 else None
        status = picked.status if picked is not None else None
        owes = picked is not None and not picked.deposit_settled
        deposit = picked.deposit_state if picked is not None else None
        # The status moves are offered as the kernel judges them now (a no-show only once
        # the party's time has come: the minute tick comes back here), with its reason.
        rules, now = self.queries.venue(), self.queries.clock()
        refused = {
            name: kernel.status_refusal(rules, picked, target, at=now)
            if picked is not None
            else "Pick a booking first."
            for name, target in STATUS_MOVES.items()
        }
        if picked is not None and status is S.PENDING and owes:
            # Seated at the door once its deposit is settled there: asked of the kernel as
            # settled (never seated on a night before its own).
            refused["Seat"] = _seat_at_door_refusal(rules, picked, now)
        claimable = status in (S.NO_SHOW, S.CANCELLED) and deposit in CLAIMABLE
        if picked is not None and claimable and self.state.may(Action.CLAIM_DEPOSIT):
            # The claim's own meaning says which cancellations were late (one read).
            refused["Claim deposit…"] = self._offer_refusal(picked.id, claim=True)
        # Money Stripe took and has not given back, whatever the deposit reads (a link paid
        # after the booking was cancelled): the refund's own offer says (one read).
        if picked is not None and self.state.may(Action.REFUND_DEPOSIT):
            refused["Refund deposit…"] = self._offer_refusal(picked.id, claim=False)
            refused["Money given back…"] = self._give_back_refusal(picked.id)
        allowed = {
            # A waitlisted party is confirmed by a table (Promote, or dragged onto one).
            "Confirm": status is not S.WAITLISTED and not refused["Confirm"],
            # A party pending only for its deposit is seated by settling it at the door.
            "Seat": not refused["Seat"],
            "Complete": not refused["Complete"],
            "No-show": not refused["No-show"],
            "Cancel booking": status in (S.PENDING, S.CONFIRMED, S.WAITLISTED),
            "Move…": status in (S.PENDING, S.CONFIRMED, S.SEATED),
            "Edit…": status in (S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED),
            "Spend…": status in SPENDING,
            "Send payment link": may_send(picked),
            "Copy link": may_copy(self.model.rows()[row] if row >= 0 else None),
            # The same live link, sent to the guest again by the server.
            "Resend link": may_copy(self.model.rows()[row] if row >= 0 else None),
            "Claim deposit…": claimable and not refused.get("Claim deposit…"),
            "Refund deposit…": picked is not None and not refused.get("Refund deposit…", "no"),
            "Money given back…": picked is not None and not refused.get("Money given back…", "no"),
            "Messages…": picked is not None,
            "History…": picked is not None,
        }
        for name, qaction in self.actions_by_name.items():
            qaction.setVisible(self.state.may(qaction.data()))
            qaction.setEnabled(allowed[name])
            # Why a move the booking is in for is not offered; its name otherwise.
            why = refused.get(name, "") if picked is not None and not allowed[name] else ""
            qaction.setToolTip(why or qaction.text())


def _seat_at_door_refusal(rules: VenueRules, b: Booking, now: datetime) -> str:
    try:
        settled = kernel.waived(b, reason="settled at the door", at=now)
    except DomainError:
        return ""  # the door's dialog says what settling needs
    return kernel.status_refusal(rules, settled, S.SEATED, at=now)
