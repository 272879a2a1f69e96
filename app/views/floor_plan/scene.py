"""The floor plan as one scene that speaks in venue terms.

Gestures become domain-level signals; the scene never writes anything itself:
- a booking (dragged from a list) or a booked table dropped on a table:
  ``booking_dropped_on_table(booking_id, table_ids)``;
- a walk-in chip dropped on a table: ``walk_in_dropped_on_table(party, table_ids)``;
- an empty table dropped on another: ``tables_combined(source_id, target_id)``;
- in edit mode, a table let go somewhere new: ``table_moved(id, x, y, rotation)``;
- in edit mode, a table let go on another: ``join_proposed(source_id, target_id)``
  (the table goes back to its place; the manager is offered a combination);
- in edit mode, a table double-clicked: ``table_opened(table_id)`` (its details).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
)

from app.domain.deposits import format_pence
from app.domain.floorplan import FloorPlan
from app.services.queries import BookingView, TableState, TableView
from app.views import mime
from app.views.floor_plan.items import GhostItem, TableItem
from app.views.models import booking_tooltip

MARGIN = 40.0


def tables_for(plan: FloorPlan, table_id: str, party_size: int) -> tuple[str, ...]:
    """The table, or the one combination through it that seats a party it cannot."""
    table = plan.table(table_id)
    if party_size <= 0 or table.fits(party_size):
        return (table_id,)
    combos = [c for c in plan.combinations if table_id in c.table_ids and c.fits(party_size)]
    if len(combos) == 1:
        return tuple(sorted(combos[0].table_ids, key=lambda t: plan.table(t).number))
    return (table_id,)


class FloorScene(QGraphicsScene):
    booking_dropped_on_table = Signal(str, object)
    walk_in_dropped_on_table = Signal(int, object)
    tables_combined = Signal(str, str)
    table_moved = Signal(str, float, float, float)
    join_proposed = Signal(str, str)
    booking_clicked = Signal(str)
    booking_opened = Signal(str)
    # In edit mode, a table double-clicked: the manager opens its details.
    table_opened = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.plan: FloorPlan | None = None
        self.items_by_id: dict[str, TableItem] = {}
        self.views_by_table: dict[str, TableView] = {}
        self.edit_mode = False
        self._press: tuple[TableItem, QPointF] | None = None
        self._ghost: GhostItem | None = None
        self._target: TableItem | None = None
        self._start_positions: dict[str, QPointF] = {}
        self._labels: list[QGraphicsSimpleTextItem] = []

    # Content ------------------------------------------------------------------

    def set_plan(self, plan: FloorPlan, area_names: Mapping[str, str] | None = None) -> None:
        """Draw the layout; existing items are reused so a refresh does not flicker."""
        self.plan = plan
        wanted = {t.id: t for t in plan.active_tables()}
        for tid in list(self.items_by_id):
            if tid not in wanted:
                self.removeItem(self.items_by_id.pop(tid))
        for tid, table in wanted.items():
            item = self.items_by_id.get(tid)
            if item is None:
                item = TableItem(table)
                item.set_editable(self.edit_mode)
                self.items_by_id[tid] = item
                self.addItem(item)
            elif item.table != table:
                item.place(table)
        self._draw_area_labels(plan)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))

    def _draw_area_labels(self, plan: FloorPlan) -> None:
        for label in self._labels:
            self.removeItem(label)
        self._labels = []
        font = QFont("DejaVu Sans", 8, QFont.Weight.DemiBold)
        for area in plan.areas:
            tables = [t for t in plan.active_tables() if t.area_id == area.id]
            if not tables:
                continue
            x = min(t.x for t in tables)
            y = min(t.y for t in tables) - 20
            label = QGraphicsSimpleTextItem(area.name.upper() + ("  · VIP" if area.vip else ""))
            label.setFont(font)
            label.setBrush(QColor("#7a7a7a"))
            label.setPos(x, y)
            label.setZValue(-1)
            self.addItem(label)
            self._labels.append(label)

    def set_states(
        self, views: Mapping[str, TableView], bookings: Mapping[str, BookingView], venue: object
    ) -> None:
        self.views_by_table = dict(views)
        for tid, item in self.items_by_id.items():
            view = views.get(tid)
            state = view.state if view else TableState.FREE
            booking = bookings.get(view.booking.id) if view and view.booking else None
            tip = f"{item.table.label} · seats {item.table.min_covers}–{item.table.max_covers}"
            if item.table.min_spend_pence:
                tip += f" · minimum spend {format_pence(item.table.min_spend_pence)}"
            if booking is not None:
                tip += "\n" + booking_tooltip(venue, booking)  # type: ignore[arg-type]
            tip += f"\n({state.value})"
            if view is not None and view.booking is not None and self.plan is not None:
                # A party on joined tables is "8 of 12" on each, not "8 of 6".
                seats = self.plan.seats(view.booking.table_ids or (tid,))
                item.set_state(state, view.booking.party_size, tip, seats)
            else:
                item.set_state(state, 0, tip)

    def set_edit_mode(self, on: bool) -> None:
        self.edit_mode = on
        for item in self.items_by_id.values():
            item.set_editable(on)
        if not on:
            self.clearSelection()

    def table_at(self, pos: QPointF) -> TableItem | None:
        for item in self.items(pos):
            if isinstance(item, TableItem):
                return item
        return None

    def booking_on(self, table_id: str) -> TableView | None:
        view = self.views_by_table.get(table_id)
        return view if view and view.booking else None

    # In-scene drags: a booked table onto another moves its booking; an empty one combines.

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mousePressEvent: remember where a drag may start."""
        item = self.table_at(event.scenePos())
        if self.edit_mode:
            self._start_positions = {tid: i.pos() for tid, i in self.items_by_id.items()}
            self._press = (item, event.scenePos()) if item is not None else None
            super().mousePressEvent(event)
            return
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self._press = (item, event.scenePos())
            view = self.booking_on(item.table_id)
            if view is not None and view.booking is not None:
                self.booking_clicked.emit(view.booking.id)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mouseDoubleClickEvent: a booked table opens its booking; in
        edit mode, any table opens its details."""
        if self.edit_mode:
            table = self.table_at(event.scenePos())
            if table is not None:
                self.table_opened.emit(table.table_id)
                event.accept()
                return
        item = None if self.edit_mode else self.table_at(event.scenePos())
        view = self.booking_on(item.table_id) if item is not None else None
        if view is not None and view.booking is not None:
            self.booking_opened.emit(view.booking.id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mouseMoveEvent: a ghost follows the pointer, targets light up."""
        if self.edit_mode or self._press is None:
            super().mouseMoveEvent(event)
            return
        source, start = self._press
        if self._ghost is None:
            distance = (event.scenePos() - start).manhattanLength()
            if distance < QApplication.startDragDistance():
                return
            view = self.booking_on(source.table_id)
            label = (
                f"Party of {view.booking.party_size}"
                if view and view.booking
                else f"Join table {source.table.number}"
            )
            self._ghost = GhostItem(label)
            self.addItem(self._ghost)
        self._ghost.setPos(event.scenePos())
        target = self.table_at(event.scenePos())
        self._set_target(target if target is not source else None, True)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """QGraphicsScene::mouseReleaseEvent: finish a drag; in edit mode, persist moves."""
        if self.edit_mode:
            super().mouseReleaseEvent(event)
            self._propose_join(event.scenePos())
            self._emit_moves()
            return
        press, ghost = self._press, self._ghost
        self._press = None
        self._clear_drag()
        if press is None or ghost is None:
            super().mouseReleaseEvent(event)
            return
        source = press[0]
        target = self.table_at(event.scenePos())
        if target is None or target is source or self.plan is None:
            return
        view = self.booking_on(source.table_id)
        if view is not None and view.booking is not None:
            tables = tables_for(self.plan, target.table_id, view.booking.party_size)
            self.booking_dropped_on_table.emit(view.booking.id, tables)
        else:
            self.tables_combined.emit(source.table_id, target.table_id)

    def _propose_join(self, at: QPointF) -> None:
        """A lone table dropped onto another goes back and proposes joining the two."""
        press, self._press = self._press, None
        if press is None:
            return
        source = press[0]
        moved = [
            tid
            for tid, start in self._start_positions.items()
            if tid in self.items_by_id and self.items_by_id[tid].pos() != start
        ]
        if moved != [source.table_id]:
            return
        target = next(
            (i for i in self.items(at) if isinstance(i, TableItem) and i is not source), None
        )
        if target is None:
            return
        self._start_positions.pop(source.table_id)
        source.put_back()
        self.join_proposed.emit(source.table_id, target.table_id)

    def _emit_moves(self) -> None:
        for tid, start in self._start_positions.items():
            item = self.items_by_id.get(tid)
            if item is not None and item.pos() != start:
                x, y = item.top_left()
                self.table_moved.emit(tid, x, y, item.rotation())
        self._start_positions = {}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """QGraphicsScene::keyPressEvent: in edit mode, R turns the selected tables."""
        if self.edit_mode and event.key() == Qt.Key.Key_R:
            self.rotate_selected(15.0)
            return
        super().keyPressEvent(event)

    def rotate_selected(self, degrees: float) -> None:
        for item in self.selectedItems():
            if isinstance(item, TableItem):
                item.setRotation((item.rotation() + degrees) % 360)
                x, y = item.top_left()
                self.table_moved.emit(item.table_id, x, y, item.rotation())

    # Drops from other panels (bookings list, waitlist, walk-in chip) ------------

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        """QGraphicsScene::dragEnterEvent: accept bookings and walk-ins only."""
        if not self.edit_mode and mime.read(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        """QGraphicsScene::dragMoveEvent: accept over a table, and show which."""
        target = self.table_at(event.scenePos())
        self._set_target(target, True)
        if target is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        """QGraphicsScene::dragLeaveEvent: forget the highlighted target."""
        self._set_target(None, True)

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        """QGraphicsScene::dropEvent: turn the drop into a domain-level signal."""
        self._set_target(None, True)
        dragged = mime.read(event.mimeData())
        target = self.table_at(event.scenePos())
        if dragged is None or target is None or self.plan is None:
            event.ignore()
            return
        tables = tables_for(self.plan, target.table_id, dragged.party_size)
        if dragged.kind == mime.BOOKING:
            self.booking_dropped_on_table.emit(dragged.booking_id, tables)
        else:
            self.walk_in_dropped_on_table.emit(dragged.party_size, tables)
        event.acceptProposedAction()

    def _set_target(self, item: TableItem | None, ok: bool) -> None:
        if self._target is not None and self._target is not item:
            self._target.set_target(None)
        self._target = item
        if item is not None:
            item.set_target(ok)

    def _clear_drag(self) -> None:
        if self._ghost is not None:
            self.removeItem(self._ghost)
            self._ghost = None
        self._set_target(None, True)


GRID_PEN = QPen(QColor("#ececec"), 1)
