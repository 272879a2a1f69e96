"""Item models over the read side's plain rows (bookings, waitlist entries).

The rows are Python values from app.services.queries; Qt only ever sees them
through these models. A refresh that keeps the same rows in the same order
announces just the cells that changed, so a selection survives a broadcast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.booking import BookingStatus, DepositState
from app.domain.customer import display_phone
from app.domain.deposit_links import link_words
from app.domain.deposit_words import deposit_detail, deposit_words, owed_back
from app.domain.kernel.deposit_expiry import expiry_reason
from app.domain.references import format_reference
from app.domain.text import shown
from app.domain.venue import Venue
from app.services.deposit_links import deadline
from app.services.queries import BookingView, WaitlistEntry
from app.views import mime
from app.views.palette import GIVE_BACK_TEXT, STATUS_TEXT

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
PARTY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def status_words(status: BookingStatus) -> str:
    return status.value.replace("_", "-")


class RowsModel(QAbstractTableModel):
    """A read-only table of rows keyed by booking id, each row draggable as a booking."""

    columns: tuple[str, ...] = ()

    def __init__(self, venue: Venue) -> None:
        super().__init__()
        self.venue = venue
        self._rows: list[Any] = []

    # Subclasses say what a row shows.
    def key(self, row: Any) -> str:
        raise NotImplementedError

    def party(self, row: Any) -> int:
        raise NotImplementedError

    def cell(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: Any, column: int) -> Any:
        return self.cell(row, column)

    def tooltip(self, row: Any) -> str:
        return ""

    def foreground(self, row: Any, column: int) -> QColor | None:
        return None

    # Our API ------------------------------------------------------------------

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_of(self, key: str) -> int:
        return next((i for i, r in enumerate(self._rows) if self.key(r) == key), -1)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace the rows: cell updates when the keys are unchanged, else a reset."""
        new = list(rows)
        if [self.key(r) for r in new] == [self.key(r) for r in self._rows]:
            changed = [i for i, (a, b) in enumerate(zip(self._rows, new, strict=True)) if a != b]
            self._rows = new
            for i in changed:
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    # Qt contract ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """QAbstractItemModel::rowCount: rows exist only under the invisible root."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """QAbstractItemModel::columnCount: children of a valid index have no columns."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """QAbstractItemModel::data: a value for the role, or None when there is none."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return self.cell(row, column)
            case Qt.ItemDataRole.ToolTipRole:
                return self.tooltip(row) or None
            case Qt.ItemDataRole.ForegroundRole:
                colour = self.foreground(row, column)
                return QBrush(colour) if colour is not None else None
            case _ if role == ID_ROLE:
                return self.key(row)
            case _ if role == PARTY_ROLE:
                return self.party(row)
            case _ if role == SORT_ROLE:
                return self.sort_value(row, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """QAbstractItemModel::headerData: column titles; rows are unnumbered."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """QAbstractItemModel::flags: rows are selectable and draggable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        """QAbstractItemModel::mimeTypes: what mimeData produces, a booking."""
        return [mime.BOOKING]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """QAbstractItemModel::mimeData: the booking of the first dragged row."""
        valid = [i for i in indexes if i.isValid()]
        if not valid:
            return QMimeData()
        row = self._rows[valid[0].row()]
        return mime.booking_mime(self.key(row), self.party(row))

    def supportedDragActions(self) -> Qt.DropAction:
        """QAbstractItemModel::supportedDragActions: a booking is moved, never copied."""
        return Qt.DropAction.MoveAction


class BookingsModel(RowsModel):
    columns = ("Time", "Guest", "Party", "Table", "Status", "Deposit", "Ref")

    def key(self, row: BookingView) -> str:
        return row.booking.id

    def party(self, row: BookingView) -> int:
        return row.booking.party_size

    def cell(self, row: BookingView, column: int) -> str:
        b, c = row.booking, row.customer
        match column:
            case 0:
                return self.venue.show_time(b.start)
            case 1:
                # ★ a VIP, ✎ words to read, ◆ a package to prepare (the tooltip says which).
                flags = " ★" if c.vip else ""
                flags += " ✎" if b.special_requests or b.notes else ""
                return f"{shown(c.name)}{flags}" + (" ◆" if b.package_id else "")
            case 2:
                return str(b.party_size)
            case 3:
                return row.tables or "—"
            case 4:
                return refused_words(row) or status_words(b.status)
            case 5:
                return deposit_words(b, row.paid_by, row.ledger, row.link, row.read_at)
            case 6:
                return b.reference
        return ""

    def sort_value(self, row: BookingView, column: int) -> Any:
        if column == 0:
            return row.booking.start.timestamp()
        if column == 2:
            return row.booking.party_size
        return self.cell(row, column)

    def tooltip(self, row: BookingView) -> str:
        return booking_tooltip(self.venue, row)

    def foreground(self, row: BookingView, column: int) -> QColor | None:
        if column == 4:
            return STATUS_TEXT.get(row.booking.status)
        failed = row.booking.deposit_state is DepositState.REFUND_FAILED
        if column == 5 and (failed or owed_back(row.booking, row.ledger)):
            return GIVE_BACK_TEXT
        return None


class WaitlistModel(RowsModel):
    columns = ("Score", "Guest", "Party", "Wanted", "Waiting")

    def __init__(self, venue: Venue, clock: Callable[[], datetime]) -> None:
        super().__init__(venue)
        self.clock = clock

    def key(self, row: WaitlistEntry) -> str:
        return row.booking.id

    def party(self, row: WaitlistEntry) -> int:
        return row.booking.party_size

    def cell(self, row: WaitlistEntry, column: int) -> str:
        b, c = row.booking, row.customer
        match column:
            case 0:
                return str(row.score.total)
            case 1:
                return f"{shown(c.name)}{' ★' if c.vip else ''}" + (
                    f" ({shown(b.occasion)})" if b.occasion else ""
                )
            case 2:
                return str(b.party_size)
            case 3:
                return self.venue.show_time(b.start)
            case 4:
                if b.waitlisted_at is None:
                    return ""
                minutes = max(0, int((self.clock() - b.waitlisted_at).total_seconds() // 60))
                return (
                    f"{minutes // 60} h {minutes % 60:02d} min"
                    if minutes >= 60
                    else f"{minutes} min"
                )
        return ""

    def tooltip(self, row: WaitlistEntry) -> str:
        return f"Priority {row.score.total}: {row.score.explain()}"


def refused_words(row: BookingView) -> str:
    """A booking the server refused to create is not live: it says so, with the reason."""
    return f"Refused by the server: {row.refused}" if row.refused else ""


def booking_tooltip(venue: Venue, row: BookingView) -> str:
    b, c = row.booking, row.customer
    lines = [
        f"{shown(c.name)}{'  ★ VIP' if c.vip else ''} — party of {b.party_size}",
        f"{venue.show_time(b.start)}–{venue.show_time(b.end)}, "
        + (refused_words(row) or status_words(b.status))
        + (f", {'tables' if '+' in row.tables else 'table'} {row.tables}" if row.tables else ""),
        f"Ref {format_reference(b.reference)}"
        + (f" · {display_phone(c.phone)}" if c.phone else ""),
    ]
    if b.occasion:
        lines.append(f"Occasion: {b.occasion}")
    if b.special_requests:
        lines.append(f"Requests: {b.special_requests}")
    if b.notes:
        lines.append(f"Notes: {b.notes}")
    if row.package:
        lines.append(f"Package: {row.package}")
    if b.deposit_pence:
        detail = deposit_detail(venue, b, row.link, row.action, row.ledger, row.read_at)
        lines.append("Deposit: " + detail)
    if spend := row.spend.words():
        lines.append(spend[0].upper() + spend[1:])
    if row.link is not None:
        link = row.link
        if not b.deposit_pence:  # else the deposit's line above says where its link stands
            until = deadline(venue, link.expires_at) if link.expires_at else ""
            lines.append(link_words(link.amount_pence, link.status, link.expires_at, until))
            if link.problem:
                lines.append(link.problem)
        if link.url:
            lines.append(f"Payment link: {link.url}")
        if link.released_at is not None and link.expires_at is not None:
            lines.append(f"Cancelled by the server. {expiry_reason(venue, link.expires_at)}")
    return "\n".join(lines)
