"""The manager's "Combinations…" editor: which tables may be joined, for which parties.

Opened from the Floor menu (with the tables selected on the floor, if two or
more are) or by dragging one table onto another in edit mode, which proposes
"Create a combination of 15 + 16 for parties of …". Nothing is stored until
Create/Save or Retire; a refusal is shown next to its field and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import InvalidInput
from app.domain.floorplan import Combination, FloorPlan
from app.services.floor import CombinationSaved
from app.services.queries import Queries
from app.views.areas_dialog import ID_ROLE, error_label, show_error
from app.views.commands import Commands

FIELDS = ("name", "tables", "party")


def stacked(*widgets: QWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    for widget in widgets:
        column.addWidget(widget)
    return box


class CombinationsDialog(QDialog):
    # (the combination as it was and whether it was in use, or None if new; the result)
    saved = Signal(object, object)

    def __init__(self, queries: Queries, commands: Commands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queries, self.commands = queries, commands
        self.editing: Combination | None = None
        self.setWindowTitle("Combinations")
        self._build()
        self._wire()

    def _build(self) -> None:
        self.heading = QLabel(wordWrap=True)
        self.heading.setStyleSheet("font-weight: 600;")
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        self.name = QLineEdit(placeholderText="named by its tables if left empty")
        self.tables = QListWidget()
        self.seats = QLabel()
        self.seats.setStyleSheet("color: #555;")
        self.min_party = QSpinBox(minimum=1, maximum=100, prefix="from ")
        self.max_party = QSpinBox(minimum=1, maximum=100, prefix="to ")
        self.errors = {f: error_label() for f in FIELDS}
        self.problem = error_label()
        party = QHBoxLayout()
        party.setContentsMargins(0, 0, 0, 0)
        party.addWidget(self.min_party)
        party.addWidget(self.max_party)
        party.addStretch(1)
        party_box = QWidget()
        party_box.setLayout(party)
        form = QFormLayout()
        form.addRow("Name", stacked(self.name, self.errors["name"]))
        form.addRow("Tables", stacked(self.tables, self.seats, self.errors["tables"]))
        form.addRow("Parties", stacked(party_box, self.errors["party"]))
        self.new_button = QPushButton("New combination")
        self.retire_button = QPushButton("Retire")
        self.close_button = QPushButton("Close")
        self.save_button = QPushButton("Create")
        self.save_button.setDefault(True)
        self.status = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.retire_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)

    def _wire(self) -> None:
        # Selection, not the current item: a list that gets focus makes its first row
        # current without the manager choosing it.
        self.list.itemSelectionChanged.connect(
            lambda: self._pick(next(iter(self.list.selectedItems()), None))
        )
        self.tables.itemChanged.connect(lambda _item: self._show_seats())
        self.new_button.clicked.connect(lambda: self.new_combination())
        self.save_button.clicked.connect(self.save)
        self.retire_button.clicked.connect(self.retire)
        self.close_button.clicked.connect(self.close)

    # Content ------------------------------------------------------------------------------

    def plan(self) -> FloorPlan:
        return self.queries.venue().plan

    def reload(self) -> None:
        """List the combinations in use; the one being edited stays picked if it still is."""
        plan = self.plan()
        keep = self.editing.id if self.editing else None
        checked = self.checked()
        self.list.blockSignals(True)
        self.list.clear()
        for combo in sorted(plan.combinations, key=lambda c: plan.numbers(c.table_ids)):
            words = f"{combo.name} · parties of {combo.min_party}–{combo.max_party}"
            if combo.name != plan.numbers(combo.table_ids):
                words += f" (tables {plan.numbers(combo.table_ids)})"
            item = QListWidgetItem(words)
            item.setData(ID_ROLE, combo.id)
            self.list.addItem(item)
            if combo.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._fill_tables(plan, checked)
        if keep is not None and not self.list.selectedItems():
            self.new_combination()  # retired meanwhile
        elif self.editing is None and not self.heading.text():
            self.new_combination()

    def _fill_tables(self, plan: FloorPlan, checked: set[str]) -> None:
        areas = {a.id: a.name for a in plan.areas}
        self.tables.blockSignals(True)
        self.tables.clear()
        for t in sorted(plan.active_tables(), key=lambda t: t.number):
            where = areas.get(t.area_id, "")
            item = QListWidgetItem(
                f"Table {t.number} · seats {t.min_covers}–{t.max_covers} · {where}"
            )
            item.setData(ID_ROLE, t.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if t.id in checked else Qt.CheckState.Unchecked
            )
            self.tables.addItem(item)
        self.tables.blockSignals(False)
        self._show_seats()

    def checked(self) -> set[str]:
        return {
            self.tables.item(row).data(ID_ROLE)
            for row in range(self.tables.count())
            if self.tables.item(row).checkState() == Qt.CheckState.Checked
        }

    def check(self, table_ids: Sequence[str]) -> None:
        self._fill_tables(self.plan(), set(table_ids))

    def _show_seats(self) -> None:
        ids = self.checked()
        if len(ids) < 2:
            self.seats.setText("Tick two or more tables.")
            return
        plan = self.plan()
        seats = sum(plan.table(t).max_covers for t in ids)
        self.seats.setText(f"Tables {plan.numbers(ids)} seat up to {seats}.")

    # Editing ------------------------------------------------------------------------------

    def _pick(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self._clear_errors()
        combo = self.plan().combination(item.data(ID_ROLE))
        self.editing = combo
        self.name.setText(combo.name)
        self.check(tuple(combo.table_ids))
        self.min_party.setValue(combo.min_party)
        self.max_party.setValue(combo.max_party)
        numbers = self.plan().numbers(combo.table_ids)
        self.heading.setText(
            f"Tables {numbers} combine for parties of {combo.min_party}–{combo.max_party}."
        )
        self.retire_button.setEnabled(True)
        self.save_button.setText("Save")

    def new_combination(self, table_ids: Sequence[str] = ()) -> None:
        self.list.clearSelection()
        self.list.setCurrentItem(None)
        self.editing = None
        self._clear_errors()
        self.name.clear()
        self.check(table_ids)
        plan = self.plan()
        if len(table_ids) >= 2:
            tables = [plan.table(t) for t in table_ids]
            seats = sum(t.max_covers for t in tables)
            self.max_party.setValue(seats)
            self.min_party.setValue(min(seats, max(t.max_covers for t in tables) + 1))
            self.heading.setText(
                f"Create a combination of {plan.numbers(table_ids)} for parties of …"
            )
        else:
            self.heading.setText("New combination: tick the tables to join.")
        self.retire_button.setEnabled(False)
        self.save_button.setText("Create")

    def propose(self, table_ids: Sequence[str]) -> None:
        """Offer to join these tables, or show the combination that already joins them."""
        existing = self.plan().combination_for(table_ids)
        if existing is None:
            self.new_combination(table_ids)
            return
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == existing.id:
                self.list.setCurrentRow(row)
        numbers = self.plan().numbers(existing.table_ids)
        self.heading.setText(
            f"Tables {numbers} already combine for parties of "
            f"{existing.min_party}–{existing.max_party}."
        )

    def save(self) -> None:
        self._clear_errors()
        before = (self.editing, True) if self.editing else None
        try:
            combo = Combination(
                self.editing.id if self.editing else str(uuid.uuid4()),
                self.name.text(),
                frozenset(self.checked()),
                self.min_party.value(),
                self.max_party.value(),
                self.editing.strategy if self.editing else "COMBINED",
            )
        except InvalidInput as error:
            self._failed(error)
            return
        self.status.setText("Saving…")
        self.commands.save_combination(
            combo, lambda result: self._saved(before, result), self._failed
        )

    def retire(self) -> None:
        if self.editing is None:
            return
        self._clear_errors()
        before = (self.editing, True)
        self.status.setText("Retiring…")
        self.commands.retire_combination(
            self.editing.id, lambda result: self._saved(before, result), self._failed
        )

    def _saved(self, before: tuple[Combination, bool] | None, result: CombinationSaved) -> None:
        self.editing = result.combination if result.active else None
        if not result.active:
            self.heading.clear()
        self.reload()
        self.status.setText(result.message)
        self.saved.emit(before, result)

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Not saved: {error}")
        field = error.field if isinstance(error, InvalidInput) else ""
        show_error(self.errors.get(field, self.problem), str(error))

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.problem):
            show_error(label, "")
        self.status.clear()
