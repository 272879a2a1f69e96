"""The timeline: tables down the side, the service day across (past midnight), bookings
as bars. Dragging a bar moves the booking in time or to another table; the same
rules as everywhere else decide, and a refused move snaps back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QShowEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.booking import BookingStatus
from app.domain.floorplan import FloorPlan, Table
from app.domain.text import shown
from app.domain.venue import Venue
from app.services.queries import BookingView, Queries
from app.views.changes import Change
from app.views.commands import Commands
from app.views.floor_plan.scene import tables_for
from app.views.models import booking_tooltip
from app.views.palette import BAR_FILL, STATUS_TEXT
from app.views.state import DeskState

ROW = 28.0
LABEL = 92.0
HEADER = 26.0
PX_PER_MIN = 2.0
SLOT_MIN = 15
SHOWN = frozenset(
    {
        BookingStatus.PENDING,
        BookingStatus.CONFIRMED,
        BookingStatus.SEATED,
        BookingStatus.COMPLETED,
        BookingStatus.CONFLICT,
    }
)
MOVABLE = frozenset({BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.SEATED})
BAR_FONT = QFont("DejaVu Sans", 8)
LABEL_FONT = QFont("DejaVu Sans", 9, QFont.Weight.DemiBold)


class BarItem(QGraphicsItem):
    """One booking on one table's row; snaps to 15-minute slots and to rows while dragged."""

    def __init__(self, view: BookingView, table_id: str, rect: QRectF, rows: int) -> None:
        super().__init__()
        self.view = view
        self.table_id = table_id
        self.width = rect.width()
        self.rows = rows
        self.setPos(rect.topLeft())
        movable = view.booking.status in MOVABLE
        flag = QGraphicsItem.GraphicsItemFlag
        self.setFlag(flag.ItemIsMovable, movable)
        self.setFlag(flag.ItemIsSelectable, True)
        self.setFlag(flag.ItemSendsGeometryChanges, movable)
        self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        """QGraphicsItem::itemChange: snap to a 15-minute slot and onto a table's row by
        returning the adjusted position."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            step = SLOT_MIN * PX_PER_MIN
            x = LABEL + round((value.x() - LABEL) / step) * step
            row = min(max(0, round((value.y() - HEADER - 3) / ROW)), self.rows - 1)
            return QPointF(max(LABEL, x), HEADER + row * ROW + 3)
        return super().itemChange(change, value)

    def boundingRect(self) -> QRectF:
        """QGraphicsItem::boundingRect: the bar."""
        return QRectF(0, 0, self.width, ROW - 6)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """QGraphicsItem::paint: a status-coloured bar with the guest and party."""
        b = self.view.booking
        rect = self.boundingRect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = STATUS_TEXT.get(b.status, QColor("#666"))
        pen = QPen(border, 2.4 if self.isSelected() else 1.2)
        if b.status is BookingStatus.PENDING:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(BAR_FILL.get(b.status, QColor("#eeeeee"))))
        painter.drawRoundedRect(rect, 4, 4)
        painter.setFont(BAR_FONT)
        painter.setPen(QColor("#1b1b1b"))
        text = bar_label(self.view)
        elided = QFontMetrics(BAR_FONT).elidedText(
            text, Qt.TextElideMode.ElideRight, int(rect.width() - 8)
        )
        painter.drawText(rect.adjusted(5, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, elided)


class TimelineScene(QGraphicsScene):
    booking_moved = Signal(str, object, object)
    booking_clicked = Signal(str)
    booking_opened = Signal(str)
    time_clicked = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.venue: Venue | None = None
        self.plan: FloorPlan | None = None
        self.opens = self.closes = datetime.min
        self.rows: list[Table] = []
        self.bars: list[BarItem] = []
        self._pressed: tuple[BarItem, QPointF] | None = None
        self.now_line = QGraphicsLineItem()
        self.now_line.setPen(QPen(QColor("#d32f2f"), 1.5))
        self.now_line.setZValue(50)
        self.cursor_line = QGraphicsLineItem()
        self.cursor_line.setPen(QPen(QColor("#3d64b0"), 1.5, Qt.PenStyle.DashLine))
        self.cursor_line.setZValue(49)

    def x_of(self, at: datetime) -> float:
        return LABEL + (at - self.opens).total_seconds() / 60 * PX_PER_MIN

    def time_of(self, x: float) -> datetime:
        minutes = round((x - LABEL) / PX_PER_MIN / SLOT_MIN) * SLOT_MIN
        return self.opens + timedelta(minutes=minutes)

    def show_night(
        self,
        venue: Venue,
        plan: FloorPlan,
        window: tuple[datetime, datetime],
        bookings: list[BookingView],
    ) -> None:
        for item in list(self.items()):
            if item not in (self.now_line, self.cursor_line):
                self.removeItem(item)
        for line in (self.now_line, self.cursor_line):
            if line.scene() is None:
                self.addItem(line)
        self.venue, self.plan = venue, plan
        self.opens, self.closes = window
        self.rows = sorted(plan.active_tables(), key=lambda t: t.number)
        width = self.x_of(self.closes) + 20
        height = HEADER + ROW * len(self.rows)
        self.setSceneRect(0, 0, width, height + 4)
        self._draw_grid(width, height)
        self.bars = []
        row_of = {t.id: i for i, t in enumerate(self.rows)}
        for view in bookings:
            if view.booking.status not in SHOWN:
                continue
            for tid in view.booking.table_ids:
                if tid not in row_of:
                    continue
                x = self.x_of(view.booking.start)
                rect = QRectF(
                    x,
                    HEADER + row_of[tid] * ROW + 3,
                    view.booking.duration_minutes * PX_PER_MIN - 2,
                    ROW - 6,
                )
                bar = BarItem(view, tid, rect, len(self.rows))
                bar.setToolTip(booking_tooltip(venue, view))
                bar.setZValue(10)
                self.addItem(bar)
                self.bars.append(bar)

    def _draw_grid(self, width: float, height: float) -> None:
        assert self.venue is not None
        hour = self.opens.replace(minute=0, second=0, microsecond=0)
        light, strong = QPen(QColor("#eeeeee")), QPen(QColor("#cfcfcf"))
        for i, table in enumerate(self.rows):
            y = HEADER + i * ROW
            if i % 2:
                self.addRect(
                    QRectF(0, y, width, ROW), Qt.PenStyle.NoPen, QColor("#f7f7f4")
                ).setZValue(-2)
            label = self.addSimpleText(
                f"{table.number:>2}  {table.min_covers}–{table.max_covers}"
                + ("  VIP" if table.vip else ""),
                LABEL_FONT,
            )
            label.setPos(8, y + 6)
        t = hour
        while t <= self.closes:
            x = self.x_of(t)
            if x >= LABEL:
                self.addLine(x, HEADER - 6, x, height, strong).setZValue(-1)
                text = self.addSimpleText(self.venue.show_time(t), LABEL_FONT)
                text.setPos(x - 16, 4)
            half = self.x_of(t + timedelta(minutes=30))
            if LABEL <= half < width - 20:
                self.addLine(half, HEADER, half, height, light).setZValue(-1)
            t += timedelta(hours=1)
        self.addLine(LABEL, HEADER, width, HEADER, strong)

    def set_lines(self, now: datetime, shown: datetime) -> None:
        height = HEADER + ROW * len(self.rows)
        for line, at in ((self.now_line, now), (self.cursor_line, shown)):
            visible = self.opens <= at <= self.closes
            line.setVisible(visible)
            if visible:
                x = self.x_of(at)
                line.setLine(x, HEADER - 8, x, height)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mousePressEvent: pick a bar (to drag) or a time in the header."""
        super().mousePressEvent(event)
        bar = next((i for i in self.items(event.scenePos()) if isinstance(i, BarItem)), None)
        if bar is not None:
            self._pressed = (bar, bar.pos())
            self.booking_clicked.emit(bar.view.booking.id)
        elif event.scenePos().y() < HEADER and event.scenePos().x() >= LABEL:
            self.time_clicked.emit(self.time_of(event.scenePos().x()))

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mouseDoubleClickEvent: a bar double-clicked opens its booking."""
        super().mouseDoubleClickEvent(event)
        bar = next((i for i in self.items(event.scenePos()) if isinstance(i, BarItem)), None)
        if bar is not None:
            self.booking_opened.emit(bar.view.booking.id)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mouseReleaseEvent: a bar let go somewhere new is a move."""
        super().mouseReleaseEvent(event)
        pressed, self._pressed = self._pressed, None
        if pressed is None or self.plan is None:
            return
        bar, start = pressed
        if bar.pos() == start:
            return
        b = bar.view.booking
        row = round((bar.pos().y() - HEADER - 3) / ROW)
        table = self.rows[row]
        new_start = self.time_of(bar.pos().x())
        if table.id == bar.table_id:
            tables = b.table_ids
        else:
            tables = tables_for(self.plan, table.id, b.party_size)
        self.booking_moved.emit(b.id, tuple(tables), new_start if new_start != b.start else None)


class TimelinePanel(QWidget):
    def __init__(self, queries: Queries, commands: Commands, state: DeskState) -> None:
        super().__init__()
        self.queries, self.commands, self.state = queries, commands, state
        self.scene = TimelineScene()
        self._shown_at: datetime | None = None  # where the blue line was last drawn
        self.view = QGraphicsView(self.scene)
        self.view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setBackgroundBrush(QColor("#ffffff"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view)
        self.scene.booking_moved.connect(self._moved)
        self.scene.booking_clicked.connect(state.select)
        self.scene.time_clicked.connect(state.set_time)
        state.day_changed.connect(lambda _: self.refresh())
        state.time_changed.connect(lambda _: self._lines())
        # The red line moves on with the present, and leaves the view where staff put it.
        state.ticked.connect(lambda now: self.scene.set_lines(now, self.state.at))
        self.refresh()

    def on_changed(self, change: Change) -> None:
        if change & (Change.OCCUPANCY | Change.BOOKINGS | Change.FLOOR_PLAN):
            self.refresh()

    def refresh(self) -> None:
        bundle = self.queries.venue()
        self.scene.show_night(
            bundle.venue,
            bundle.plan,
            self.state.night_window(),
            self.queries.bookings_on(self.state.day),
        )
        self._lines()

    def _lines(self) -> None:
        # A live floor moving on keeps the time in view only if staff were looking at it;
        # scrolled on to later in the night, they stay there.
        looking = not self.state.moving_on or self._in_view(self._shown_at)
        self.scene.set_lines(self.queries.clock(), self.state.at)
        self._shown_at = self.state.at
        if looking:
            self.follow()

    def _in_view(self, at: datetime | None) -> bool:
        if at is None:
            return True
        x, bar = self.scene.x_of(at), self.view.horizontalScrollBar()
        return bar.value() + LABEL <= x <= bar.value() + self.view.viewport().width() - LABEL

    def follow(self) -> None:
        """Scroll so that the time shown (now, unless staff picked another) is in view,
        with a little of what came before it."""
        if not self._in_view(self.state.at):
            x, width = self.scene.x_of(self.state.at), self.view.viewport().width()
            self.view.horizontalScrollBar().setValue(int(x - LABEL - width / 4))

    def showEvent(self, event: QShowEvent) -> None:
        """QWidget::showEvent: the view knows its width only once shown."""
        super().showEvent(event)
        self.follow()

    def _moved(self, booking_id: str, tables: tuple[str, ...], start: datetime | None) -> None:
        self.commands.move(booking_id, tables, start, failed=lambda _: self.refresh())


def bar_label(view: BookingView) -> str:
    """A bar's words: the guest (★ a VIP, ◆ a package to prepare), the party, the joined
    tables, and "£ due" while a deposit holds the booking pending."""
    b, c = view.booking, view.customer
    text = f"{shown(c.name)}{' ★' if c.vip else ''}{' ◆' if b.package_id else ''} · {b.party_size}"
    if b.combined:
        text += f" · {view.tables}"
    if b.deposit_pence and b.status is BookingStatus.PENDING:
        text += " · £ due"
    return text
