"""Deposits and packages: a manager sets the venue's price list for a booking on the desk.

The dialog opens on the version in force; Save sends what it shows as the next version
(app.services.prices), which this desk prices by at once, offline too, and which
reaches every desk through the server. A refusal keeps the dialog open with why.
A version's note (why it was set) is the server file's, and is not carried into the next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.deposit_ledger import parse_pounds
from app.domain.deposit_policy_data import WEEKDAY_NAMES, deposit_policy_to_dict
from app.domain.deposits import (
    MAX_FREE_CANCELLATION_HOURS,
    MAX_GRACE_MINUTES,
    MAX_LINK_MINUTES,
    MIN_LINK_MINUTES,
    Basis,
    Collection,
    DepositPolicy,
    Tier,
)
from app.domain.errors import DomainError, InvalidInput
from app.domain.limits import MAX_PARTY
from app.domain.packages import Package, new_package_id
from app.views.commands import Commands
from app.views.deposit_money import pounds
from app.views.saving_dialog import SavingDialog

BASES = {"a head": Basis.PER_HEAD, "a booking": Basis.PER_BOOKING}
COLLECTIONS = {
    "a deposit, paid now": Collection.DEPOSIT_NOW,
    "a card guarantee, charged on a no-show": Collection.GUARANTEE,
}


def _minutes(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(15)
    box.setSuffix(suffix)
    box.setValue(value)
    return box


def _party(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, MAX_PARTY)
    box.setValue(value)
    return box


def _money(pence: int) -> QLineEdit:
    edit = QLineEdit(pounds(pence))
    edit.setPlaceholderText("e.g. 10.00")
    return edit


class Rows(QWidget):
    """A table of rows, each a line of widgets made by ``make``, with Add and Remove."""

    def __init__(
        self, headers: list[str], make: Callable[[Any], list[QWidget]], add: str, shown: int
    ) -> None:
        super().__init__()
        self.make = make
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        # Room for ``shown`` rows and the header: a tier list is short, packages are many.
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(rows * (shown + 1) + 2 * self.table.frameWidth() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button, self.remove_button = QPushButton(add), QPushButton("Remove")
        self.add_button.clicked.connect(lambda: self.add(None))
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        # Each row's source (None for a row added here), kept beside its widgets.
        self.sources: list[Any] = []

    def add(self, source: Any) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, widget in enumerate(self.make(source)):
            self.table.setCellWidget(row, column, widget)
        self.sources.append(source)
        self.table.setCurrentCell(row, 0)

    def remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            del self.sources[row]

    def cells(self) -> list[tuple[Any, list[QWidget]]]:
        columns = range(self.table.columnCount())
        return [
            (source, [self.table.cellWidget(row, c) for c in columns])
            for row, source in enumerate(self.sources)
        ]


def _tier_cells(tier: Tier | None) -> list[QWidget]:
    return [_party(tier.min_party if tier else 8), _money(tier.pence if tier else 1000)]


def _package_cells(package: Package | None) -> list[QWidget]:
    # A new row starts as a package for any party, a head, at no price yet.
    p = package or Package("new", "New package", 0)
    name = QLineEdit(p.name if package else "")
    name.setPlaceholderText("e.g. Prosecco package")
    per_head = QCheckBox()
    per_head.setChecked(p.per_head)
    includes = QLineEdit(p.includes)
    includes.setPlaceholderText("what staff read out on the phone")
    return [name, _money(p.pence), per_head, _party(p.min_party), _party(p.max_party), includes]


class PricesDialog(SavingDialog):
    def __init__(
        self, policy: DepositPolicy, whose: str, commands: Commands, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.policy, self.whose, self.commands = policy, whose, commands
        # Set when saved: what the manager is told.
        self.message = ""
        self.setWindowTitle("Deposits and packages")
        self.basis = QComboBox()
        self.basis.addItems(list(BASES))
        self.basis.setCurrentIndex(list(BASES.values()).index(policy.basis))
        self.tiers = Rows(["Parties of at least", "Pay £"], _tier_cells, "Add a tier", 2)
        self.busy_tiers = Rows(["Parties of at least", "Pay £"], _tier_cells, "Add a tier", 2)
        for tier in policy.tiers:
            self.tiers.add(tier)
        for tier in policy.busy_tiers:
            self.busy_tiers.add(tier)
        self.busy_days = [QCheckBox(day[:3]) for day in WEEKDAY_NAMES]
        for day, box in enumerate(self.busy_days):
            box.setChecked(day in policy.busy_weekdays)
        self.vip_exempt = QCheckBox("VIPs pay no deposit")
        self.vip_exempt.setChecked(policy.vip_exempt)
        self.walk_in_exempt = QCheckBox("Walk-ins pay no deposit")
        self.walk_in_exempt.setChecked(policy.walk_in_exempt)
        self.collection = QComboBox()
        self.collection.addItems(list(COLLECTIONS))
        self.collection.setCurrentIndex(list(COLLECTIONS.values()).index(policy.collection))
        self.link_minutes = _minutes(
            MIN_LINK_MINUTES, MAX_LINK_MINUTES, policy.link_minutes, " minutes to pay"
        )
        self.grace_minutes = _minutes(
            0, MAX_GRACE_MINUTES, policy.expiry_grace_minutes, " minutes after the link runs out"
        )
        self.free_hours = QSpinBox()
        self.free_hours.setRange(0, MAX_FREE_CANCELLATION_HOURS)
        self.free_hours.setSuffix(" hours before")
        self.free_hours.setValue(policy.free_cancellation_hours)
        self.packages = Rows(
            ["Package", "£", "A head", "Parties from", "to", "Includes"],
            _package_cells,
            "Add a package",
            5,
        )
        for package in policy.packages:
            self.packages.add(package)
        self.lay_out(self._deposits(), self._packages(), self._note(), width=640)

    def _deposits(self) -> QGroupBox:
        days = QHBoxLayout()
        for box in self.busy_days:
            days.addWidget(box)
        form = QFormLayout()
        form.addRow("Take", self.collection)
        form.addRow("Counted per", self.basis)
        form.addRow("Most nights", self.tiers)
        form.addRow("Busy nights", days)
        form.addRow("On busy nights", self.busy_tiers)
        form.addRow("", self.vip_exempt)
        form.addRow("", self.walk_in_exempt)
        form.addRow("Refunded in full up to", self.free_hours)
        form.addRow("A payment link gives", self.link_minutes)
        form.addRow("Unpaid, the tables go", self.grace_minutes)
        group = QGroupBox("Deposits")
        group.setLayout(form)
        return group

    def _packages(self) -> QGroupBox:
        group = QGroupBox("Packages sold with a table")
        layout = QVBoxLayout(group)
        layout.addWidget(self.packages)
        return group

    def _note(self) -> QLabel:
        note = QLabel(
            f"{self.whose} Saved, these become version {self.policy.version + 1}: new "
            "bookings are priced by them, and bookings already made keep their prices."
        )
        note.setWordWrap(True)
        self.note = note
        return note

    def terms(self) -> dict[str, Any]:
        """What the dialog shows, as the policy's terms; InvalidInput for an amount that
        is not one. A note said why the version in force was set, not this one."""
        kept = {k: v for k, v in deposit_policy_to_dict(self.policy).items() if k != "note"}
        return kept | {
            "basis": BASES[self.basis.currentText()].value,
            "tiers": self._tiers(self.tiers),
            "busy_weekdays": [d for d, box in enumerate(self.busy_days) if box.isChecked()],
            "busy_tiers": self._tiers(self.busy_tiers),
            "vip_exempt": self.vip_exempt.isChecked(),
            "walk_in_exempt": self.walk_in_exempt.isChecked(),
            "collection": COLLECTIONS[self.collection.currentText()].value,
            "link_minutes": self.link_minutes.value(),
            "expiry_grace_minutes": self.grace_minutes.value(),
            "free_cancellation_hours": self.free_hours.value(),
            "packages": self._package_list(),
        }

    @staticmethod
    def _tiers(rows: Rows) -> list[dict[str, int]]:
        out = []
        for _, (party, money) in rows.cells():
            assert isinstance(party, QSpinBox) and isinstance(money, QLineEdit)
            out.append({"min_party": party.value(), "pence": _pence(money, "tiers")})
        return out

    def _package_list(self) -> list[dict[str, Any]]:
        rows = self.packages.cells()
        taken = [source.id for source, _ in rows if source is not None]
        out = []
        for source, (name, money, per_head, least, most, includes) in rows:
            assert isinstance(name, QLineEdit) and isinstance(includes, QLineEdit)
            assert isinstance(per_head, QCheckBox) and isinstance(money, QLineEdit)
            assert isinstance(least, QSpinBox) and isinstance(most, QSpinBox)
            package_id = source.id if source is not None else new_package_id(name.text(), taken)
            taken.append(package_id)
            out.append(
                {
                    "id": package_id,
                    "name": name.text().strip(),
                    "pence": _pence(money, "package"),
                    "per_head": per_head.isChecked(),
                    "min_party": least.value(),
                    "max_party": most.value(),
                    "includes": includes.text().strip(),
                }
            )
        return out

    def save(self) -> None:
        try:
            terms = self.terms()
        except DomainError as refused:
            self.failed(refused)
            return
        self.saving()
        self.commands.set_prices(terms, self._saved, self.failed)

    def _saved(self, result: Any) -> None:
        self.message = result.message
        self.accept()


def _pence(edit: QLineEdit, field: str) -> int:
    try:
        return parse_pounds(edit.text())
    except InvalidInput as bad:
        raise InvalidInput(field, str(bad)) from None
