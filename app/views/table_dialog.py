"""The manager's "Table…" dialog in edit mode: a table's number, name, area, seats,
shape, booth and VIP flags, and its minimum spend.

Nothing is stored until Save; a refusal (a number another table has, a party booked
on the table that it would no longer seat, a join it would no longer fill) is shown
in the dialog, which stays open with what was typed, and the table is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.deposit_ledger import parse_pounds
from app.domain.errors import InvalidInput
from app.domain.floorplan import NAME_LENGTH, FloorPlan, Shape, Table
from app.domain.limits import MAX_PARTY, MAX_TABLE_NUMBER
from app.views.commands import Commands
from app.views.deposit_money import pounds
from app.views.saving_dialog import SavingDialog

SHAPES = {Shape.ROUND: "Round", Shape.SQUARE: "Square", Shape.RECT: "Long", Shape.BOOTH: "Booth"}


class TableDialog(SavingDialog):
    def __init__(
        self,
        plan: FloorPlan,
        table: Table,
        commands: Commands,
        saved: Callable[[Table, Table], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table, self.commands, self._saved = table, commands, saved
        self.setWindowTitle(f"{table.label}")
        self.number = QSpinBox(minimum=1, maximum=MAX_TABLE_NUMBER, value=table.number)
        self.name = QLineEdit(table.name, placeholderText="e.g. The Snug (optional)")
        self.name.setMaxLength(NAME_LENGTH)
        self.area = QComboBox()
        for area in plan.areas:
            self.area.addItem(area.name, area.id)
        self.area.setCurrentIndex(max(0, self.area.findData(table.area_id)))
        self.min_covers = QSpinBox(minimum=1, maximum=MAX_PARTY, value=table.min_covers)
        self.max_covers = QSpinBox(minimum=1, maximum=MAX_PARTY, value=table.max_covers)
        self.shape = QComboBox()
        for shape, label in SHAPES.items():
            self.shape.addItem(label, shape)
        self.shape.setCurrentIndex(max(0, self.shape.findData(table.shape)))
        self.booth = QCheckBox("A booth", checked=table.booth)
        self.vip = QCheckBox("VIP table (offered to VIP guests only)", checked=table.vip)
        self.min_spend = QLineEdit(pounds(table.min_spend_pence))
        self.min_spend.setToolTip("What a party on this table is asked to spend; 0 for none.")
        seats = QHBoxLayout()
        seats.addWidget(self.min_covers)
        seats.addWidget(QLabel("to"))
        seats.addWidget(self.max_covers)
        seats.addStretch(1)
        form = QFormLayout()
        form.addRow("Number", self.number)
        form.addRow("Name", self.name)
        form.addRow("Area", self.area)
        form.addRow("Seats", seats)
        form.addRow("Shape", self.shape)
        form.addRow("", self.booth)
        form.addRow("", self.vip)
        form.addRow("Minimum spend £", self.min_spend)
        self.lay_out(form, width=380)

    def edited(self) -> Table:
        """The table as the dialog says, or an InvalidInput naming what to correct."""
        spend = parse_pounds(self.min_spend.text())
        return replace(
            self.table,
            number=self.number.value(),
            name=" ".join(self.name.text().split()),
            area_id=self.area.currentData(),
            min_covers=self.min_covers.value(),
            max_covers=self.max_covers.value(),
            shape=Shape(self.shape.currentData()),
            booth=self.booth.isChecked(),
            vip=self.vip.isChecked(),
            min_spend_pence=spend,
        )

    def save(self) -> None:
        try:
            after = self.edited()
        except InvalidInput as refused:
            self.failed(refused)
            return
        if after == self.table:
            self.accept()
            return
        self.saving()
        self.commands.save_table(after, lambda _: self._done(after), self.failed)

    def _done(self, after: Table) -> None:
        self._saved(self.table, after)
        self.accept()
