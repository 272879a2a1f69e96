"""The manager's "Areas…" dialog: add, rename, flag VIP and remove the venue's areas.

Nothing is stored until Save or Remove; a refusal is shown next to the field
it concerns (or under the list when it concerns the area as a whole) and the
area is left as it was.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import InvalidInput
from app.domain.floorplan import Area
from app.services.floor import AreaSaved
from app.services.queries import Queries
from app.views.commands import Commands

ERROR_STYLE = "color: #b3261e; font-size: 11px;"
ID_ROLE = Qt.ItemDataRole.UserRole


def error_label() -> QLabel:
    label = QLabel(wordWrap=True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class AreasDialog(QDialog):
    # (the area as it was and whether it was in use, or None if new; the saved result)
    saved = Signal(object, object)

    def __init__(self, queries: Queries, commands: Commands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queries, self.commands = queries, commands
        self.editing: Area | None = None
        self.setWindowTitle("Areas")
        self._build()
        self._wire()

    def _build(self) -> None:
        self.list = QListWidget()
        self.problem = error_label()
        self.name = QLineEdit(placeholderText="e.g. Terrace")
        self.name_error = error_label()
        self.vip = QCheckBox("VIP area (its tables are offered to VIP guests only)")
        self.add_button = QPushButton("New area")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.status = QLabel(wordWrap=True)
        name_box = QWidget()
        column = QVBoxLayout(name_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.name)
        column.addWidget(self.name_error)
        form = QFormLayout()
        form.addRow("Name", name_box)
        form.addRow("", self.vip)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.problem)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def _wire(self) -> None:
        # Selection, not the current item: a list that gets focus makes its first row
        # current without the manager choosing it.
        self.list.itemSelectionChanged.connect(
            lambda: self._pick(next(iter(self.list.selectedItems()), None))
        )
        self.add_button.clicked.connect(self.new_area)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.close_button.clicked.connect(self.close)

    def reload(self) -> None:
        """List the areas as stored; the area being edited stays picked if it still exists."""
        plan = self.queries.venue().plan
        keep = self.editing.id if self.editing else None
        self.list.blockSignals(True)
        self.list.clear()
        for area in plan.areas:
            tables = sorted(t.number for t in plan.active_tables() if t.area_id == area.id)
            noun = "table" if len(tables) == 1 else "tables"
            where = f"{noun} {', '.join(map(str, tables))}" if tables else "no tables"
            item = QListWidgetItem(f"{area.name}{'  ★ VIP' if area.vip else ''} · {where}")
            item.setData(ID_ROLE, area.id)
            self.list.addItem(item)
            if area.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if keep is not None and not self.list.selectedItems():
            self.new_area()  # the area being edited was removed meanwhile

    def _pick(self, item: QListWidgetItem | None) -> None:
        self._clear_errors()
        if item is None:
            return
        self.editing = self.queries.venue().plan.area(item.data(ID_ROLE))
        self.name.setText(self.editing.name)
        self.vip.setChecked(self.editing.vip)
        self.remove_button.setEnabled(True)

    def pick(self, name: str) -> None:
        """Pick the area called ``name`` for editing, as a click on it would."""
        wanted = {a.id for a in self.queries.venue().plan.areas if a.name == name}
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) in wanted:
                self.list.setCurrentItem(item)
                return

    def new_area(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentItem(None)
        self.editing = None
        self.name.clear()
        self.vip.setChecked(False)
        self.remove_button.setEnabled(False)
        self._clear_errors()
        self.name.setFocus()

    def save(self) -> None:
        self._clear_errors()
        before = (self.editing, True) if self.editing else None
        area_id = self.editing.id if self.editing else str(uuid.uuid4())
        area = Area(area_id, self.name.text(), self.vip.isChecked())
        self.status.setText("Saving…")
        self.commands.save_area(area, lambda result: self._saved(before, result), self._failed)

    def remove(self) -> None:
        if self.editing is None:
            return
        self._clear_errors()
        before = (self.editing, True)
        self.status.setText("Removing…")
        self.commands.remove_area(
            self.editing.id, lambda result: self._saved(before, result), self._failed
        )

    def _saved(self, before: tuple[Area, bool] | None, result: AreaSaved) -> None:
        self.editing = result.area if result.active else None
        self.reload()
        self.status.setText(result.message)
        self.saved.emit(before, result)

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Not saved: {error}")
        if isinstance(error, InvalidInput) and error.field == "name":
            show_error(self.name_error, str(error))
        else:
            show_error(self.problem, str(error))

    def _clear_errors(self) -> None:
        show_error(self.name_error, "")
        show_error(self.problem, "")
        self.status.clear()
