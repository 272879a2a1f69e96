"""The floor plan panel: the scene wired to the desk's commands, plus the edit mode."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.domain.floorplan import FloorPlan, Shape, Table
from app.domain.permissions import Action
from app.services.queries import Queries
from app.views.changes import Change
from app.views.commands import Commands
from app.views.floor_plan.chips import Legend, WalkInChip
from app.views.floor_plan.items import TableItem
from app.views.floor_plan.scene import FloorScene
from app.views.floor_plan.setup import FloorSetup, SavedEdit
from app.views.floor_plan.view import FloorView
from app.views.flow_layout import FlowLayout
from app.views.state import DeskState
from app.views.table_dialog import TableDialog


class MoveTable(QUndoCommand):
    """A table's place before and after one gesture; undo puts it back and saves that."""

    def __init__(self, panel: FloorPanel, before: Table, after: Table) -> None:
        super().__init__(f"Move table {before.number}")
        self.panel, self.before, self.after = panel, before, after
        self._first = True

    def redo(self) -> None:
        """QUndoCommand::redo: the first time the item is already there; persist it."""
        self.panel.put_table(self.after, show=not self._first)
        self._first = False

    def undo(self) -> None:
        """QUndoCommand::undo: move the item back and persist the old place."""
        self.panel.put_table(self.before, show=True)


class SaveTable(QUndoCommand):
    """Any other edit of one table (add, remove, resize) with its undo."""

    def __init__(self, panel: FloorPanel, before: Table | None, after: Table, text: str) -> None:
        super().__init__(text)
        self.panel, self.before, self.after = panel, before, after

    def redo(self) -> None:
        """QUndoCommand::redo: store the table as edited."""
        self.panel.save(self.after)

    def undo(self) -> None:
        """QUndoCommand::undo: store it as it was (a new table is retired again)."""
        self.panel.save(self.before or replace(self.after, active=False))


class FloorPanel(QWidget):
    edit_mode_changed = Signal(bool)

    def __init__(self, queries: Queries, commands: Commands, state: DeskState) -> None:
        super().__init__()
        self.queries, self.commands, self.state = queries, commands, state
        self.scene = FloorScene()
        self.view = FloorView(self.scene)
        self.undo = QUndoStack(self)
        self.setup = FloorSetup(queries, commands, self.undo, self, self.reload_plan)
        self.walk_in = WalkInChip()
        self.plan: FloorPlan | None = None
        self.table_dialog: TableDialog | None = None
        self._build()
        self._wire()
        self.reload_plan()

    def _build(self) -> None:
        # Its buttons wrap onto a second row in a narrow panel: a tool bar hid the last ones
        # (Undo, Redo) behind its overflow arrow on a laptop's screen.
        self.edit_bar = QWidget()
        self.edit_bar.setAccessibleName("Floor plan editing")
        bar = FlowLayout(self.edit_bar, spacing=4)
        self.act_add = QAction("Add table", self, shortcut=QKeySequence("Ctrl+Shift+T"))
        self.act_remove = QAction("Remove", self, shortcut=QKeySequence.StandardKey.Delete)
        self.act_rotate = QAction("Rotate 15°", self, shortcut=QKeySequence("R"))
        self.act_wider = QAction("Wider", self, shortcut=QKeySequence("Ctrl+Right"))
        self.act_narrower = QAction("Narrower", self, shortcut=QKeySequence("Ctrl+Left"))
        self.act_deeper = QAction("Deeper", self, shortcut=QKeySequence("Ctrl+Down"))
        self.act_shallower = QAction("Shallower", self, shortcut=QKeySequence("Ctrl+Up"))
        self.act_details = QAction("Table…", self, shortcut=QKeySequence("Ctrl+Shift+I"))
        self.act_details.setToolTip(
            "Number, name, area, seats, shape and minimum spend of the table picked "
            "(or double-click a table)"
        )
        self.act_undo = self.undo.createUndoAction(self, "Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.undo.createRedoAction(self, "Redo")
        self.act_redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_actions = [
            self.act_add,
            self.act_details,
            self.act_remove,
            self.act_rotate,
            self.act_wider,
            self.act_narrower,
            self.act_deeper,
            self.act_shallower,
            *self.setup.actions,
            self.act_undo,
            self.act_redo,
        ]
        for action in self.edit_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            bar.addWidget(button)
            self.addAction(action)
        self.edit_bar.setVisible(False)
        for action in self.edit_actions:
            action.setEnabled(False)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.hint.setWordWrap(True)
        self.hint.setMinimumWidth(120)
        top = QHBoxLayout()
        top.addWidget(self.walk_in)
        top.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.edit_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(Legend())
        self._set_hint()

    def _wire(self) -> None:
        s = self.scene
        s.booking_dropped_on_table.connect(
            lambda bid, tables: self.commands.place(bid, tuple(tables))
        )
        s.walk_in_dropped_on_table.connect(
            lambda party, tables: self.commands.walk_in(party, tuple(tables))
        )
        s.tables_combined.connect(self._combine)
        s.table_moved.connect(self._moved)
        s.join_proposed.connect(lambda a, b: self.setup.open_combinations((a, b)))
        self.setup.act_areas.triggered.connect(self.setup.open_areas)
        self.setup.act_combinations.triggered.connect(
            lambda: self.setup.open_combinations([i.table_id for i in self._selected()])
        )
        s.booking_clicked.connect(self.state.select)
        self.act_add.triggered.connect(self._add_table)
        self.act_remove.triggered.connect(self._remove_selected)
        self.act_details.triggered.connect(self._open_selected)
        s.table_opened.connect(self.open_table)
        self.act_rotate.triggered.connect(lambda: self.scene.rotate_selected(15.0))
        self.act_wider.triggered.connect(lambda: self._resize(10, 0))
        self.act_narrower.triggered.connect(lambda: self._resize(-10, 0))
        self.act_deeper.triggered.connect(lambda: self._resize(0, 10))
        self.act_shallower.triggered.connect(lambda: self._resize(0, -10))
        self.state.time_changed.connect(lambda _: self.refresh_states())
        self.state.day_changed.connect(lambda _: self.refresh_states())
        self.state.selection_changed.connect(lambda _: self._set_hint())

    # Refreshing -------------------------------------------------------------------

    def on_changed(self, change: Change) -> None:
        if change & Change.FLOOR_PLAN:
            self.reload_plan()
            self.setup.refresh()
        elif change & Change.OCCUPANCY:
            self.refresh_states()

    def reload_plan(self) -> None:
        bundle = self.queries.venue()
        self.plan = bundle.plan
        self.scene.set_plan(bundle.plan)
        self.view.fit()
        self.refresh_states()

    def refresh_states(self) -> None:
        views = self.queries.floor_at(self.state.day, self.state.at)
        bookings = {v.booking.id: v for v in self.queries.bookings_on(self.state.day)}
        self.scene.set_states(views, bookings, self.state.venue)

    def _set_hint(self) -> None:
        selected = self.state.selected_booking
        if self.scene.edit_mode:
            text = (
                "Edit mode: drag tables (they snap to the grid), R rotates, Delete removes; "
                "drop a table on another to join them."
            )
        elif selected:
            view = self.queries.booking(selected)
            who = (
                f"{view.customer.name}, party of {view.booking.party_size}"
                if view
                else "the booking"
            )
            text = f"In hand: {who}. Drop it on a table, or drag an empty table onto another."
        else:
            text = (
                "Drag a booking or the walk-in chip onto a table; "
                "drag an empty table onto another to join them."
            )
        self.hint.setText(text)

    # Gestures -----------------------------------------------------------------------

    def _combine(self, source_id: str, target_id: str) -> None:
        """Join two empty tables for the party in hand: the picked booking, else a walk-in."""
        tables = (source_id, target_id)
        if self.state.selected_booking:
            self.commands.place(self.state.selected_booking, tables)
        else:
            self.commands.walk_in(self.walk_in.party.value(), tables)

    # Edit mode ------------------------------------------------------------------------

    def may_edit(self) -> bool:
        return self.state.may(Action.EDIT_FLOOR_PLAN)

    def set_edit_mode(self, on: bool) -> bool:
        """Enter or leave edit mode; refused (False) for a role that may not edit."""
        if on and not self.may_edit():
            return False
        self.scene.set_edit_mode(on)
        self.edit_bar.setVisible(on)
        for action in self.edit_actions:
            action.setEnabled(on)
        if on:
            self.undo.clear()
        else:
            self.setup.close_dialogs()
            if self.table_dialog is not None:
                self.table_dialog.close()
        self.walk_in.setEnabled(not on)
        self.view.viewport().update()
        self._set_hint()
        self.edit_mode_changed.emit(on)
        return True

    def _moved(self, table_id: str, x: float, y: float, rotation: float) -> None:
        item = self.scene.items_by_id[table_id]
        before = item.table
        after = replace(before, x=round(x, 1), y=round(y, 1), rotation=rotation % 360)
        self.undo.push(MoveTable(self, before, after))

    def put_table(self, table: Table, *, show: bool) -> None:
        item = self.scene.items_by_id.get(table.id)
        if item is not None:
            item.table = table
            if show:
                item.place(table)
        self.commands.move_table(
            table.id, table.x, table.y, table.rotation, failed=lambda _: self.reload_plan()
        )

    def save(self, table: Table) -> None:
        self.commands.save_table(table, failed=lambda _: self.reload_plan())

    def _selected(self) -> list[TableItem]:
        return [i for i in self.scene.selectedItems() if isinstance(i, TableItem)]

    def _add_table(self) -> None:
        if self.plan is None or not self.scene.edit_mode:
            return
        selected = self._selected()
        area = selected[0].table.area_id if selected else self.plan.areas[0].id
        number = max((t.number for t in self.plan.tables), default=0) + 1
        rect = self.scene.sceneRect()
        table = Table(
            id=str(uuid.uuid4()),
            number=number,
            area_id=area,
            min_covers=2,
            max_covers=4,
            shape=Shape.SQUARE,
            x=round(rect.center().x() / 10) * 10,
            y=round(rect.bottom() / 10) * 10 - 60,
        )
        self.undo.push(SaveTable(self, None, table, f"Add table {number}"))

    def _open_selected(self) -> None:
        selected = self._selected()
        if len(selected) == 1:
            self.open_table(selected[0].table_id)
        else:
            self.hint.setText("Pick one table to see its details (or double-click it).")

    def open_table(self, table_id: str) -> TableDialog | None:
        """The details of a table, to change in edit mode; saved, the change can be undone."""
        if self.plan is None or not self.scene.edit_mode:
            return None

        def saved(before: Table, after: Table) -> None:
            self.undo.push(
                SavedEdit(
                    f"Edit table {after.number}",
                    lambda: self.save(after),
                    lambda: self.save(before),
                )
            )

        dialog = TableDialog(self.plan, self.plan.table(table_id), self.commands, saved, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        self.table_dialog = dialog
        return dialog

    def _remove_selected(self) -> None:
        if not self.scene.edit_mode:
            return
        for item in self._selected():
            self.undo.push(
                SaveTable(
                    self,
                    item.table,
                    replace(item.table, active=False),
                    f"Remove table {item.table.number}",
                )
            )

    def _resize(self, dw: float, dh: float) -> None:
        if not self.scene.edit_mode:
            return
        for item in self._selected():
            t = item.table
            after = replace(t, width=max(30.0, t.width + dw), height=max(30.0, t.height + dh))
            self.undo.push(SaveTable(self, t, after, f"Resize table {t.number}"))
