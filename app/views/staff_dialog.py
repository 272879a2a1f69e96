"""Desk → Staff…: an admin sees the venue's staff and adds, edits, deactivates or reactivates
them, or resets a PIN. Every refusal is shown in the dialog and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import DomainError
from app.domain.limits import MAX_PIN, MIN_PIN
from app.domain.permissions import Action, Role, Staff
from app.domain.staff import StaffMember
from app.services.staff import StaffAdmin, StaffChanged

ERROR_STYLE = "color: #b3261e;"
COLUMNS = ("Name", "Username", "Role", "Active")


class StaffDialog(QDialog):
    def __init__(self, admin: StaffAdmin, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin, self.staff = admin, staff
        self.members: list[StaffMember] = []
        self.setWindowTitle("Staff")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.add = QPushButton("Add…")
        self.edit = QPushButton("Edit…")
        self.active = QPushButton("Deactivate")
        self.reset = QPushButton("Reset PIN…")
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add, self.edit, self.active, self.reset):
            buttons.addWidget(button)
            button.setEnabled(staff.may(Action.MANAGE_STAFF))
        buttons.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.add.clicked.connect(self.open_add)
        self.edit.clicked.connect(self.open_edit)
        self.active.clicked.connect(self.toggle_active)
        self.reset.clicked.connect(self.open_reset)
        self.table.itemSelectionChanged.connect(self._selected_changed)
        self.resize(560, 360)
        self.refresh()

    def refresh(self) -> None:
        self.members = self.admin.members(self.staff)
        self.table.setRowCount(len(self.members))
        for row, m in enumerate(self.members):
            cells = (m.name, m.username, m.role.value, "yes" if m.active else "no")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._selected_changed()

    def select(self, username: str) -> None:
        row = next(i for i, m in enumerate(self.members) if m.username == username)
        self.table.selectRow(row)

    def selected(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows()
        return self.members[rows[0].row()] if rows else None

    def _selected_changed(self) -> None:
        member = self.selected()
        manage = self.staff.may(Action.MANAGE_STAFF)
        for button in (self.edit, self.active, self.reset):
            button.setEnabled(manage and member is not None)
        inactive = member is not None and not member.active
        self.active.setText("Reactivate" if inactive else "Deactivate")

    def show_result(self, text: str, *, ok: bool) -> None:
        self.message.setText(("✓ " if ok else "✕ ") + text)
        self.message.setStyleSheet("" if ok else ERROR_STYLE)

    def open_add(self) -> None:
        def save(form: StaffForm) -> StaffChanged:
            return self.admin.add(
                self.staff,
                form.username.text(),
                form.name.text(),
                form.role(),
                form.pin.text(),
                form.again.text(),
            )

        self._open(StaffForm("Add a member of staff", save, self, pins=True))

    def open_edit(self) -> None:
        member = self.selected()
        if member is None:
            return

        def save(form: StaffForm) -> StaffChanged:
            return self.admin.edit(self.staff, member.id, form.name.text(), form.role())

        self._open(StaffForm(f"Edit {member.name}", save, self, member=member))

    def open_reset(self) -> None:
        member = self.selected()
        if member is None:
            return

        def save(form: StaffForm) -> StaffChanged:
            return self.admin.reset_pin(self.staff, member.id, form.pin.text(), form.again.text())

        self._open(StaffForm(f"Reset {member.name}'s PIN", save, self, pins=True, details=False))

    def toggle_active(self) -> None:
        member = self.selected()
        if member is None:
            return
        try:
            done = self.admin.set_active(self.staff, member.id, not member.active)
        except DomainError as refused:
            self.show_result(str(refused), ok=False)
            return
        self._changed(done)

    def _open(self, form: StaffForm) -> None:
        self.form = form
        form.accepted.connect(lambda: self._changed(form.changed))
        form.open()

    def _changed(self, done: StaffChanged | None) -> None:
        if done is None:
            return
        self.refresh()
        self.select(done.member.username)
        self.show_result(done.message, ok=True)


class StaffForm(QDialog):
    """One member's details, a new PIN, or both; stays open on a refusal, saying why."""

    def __init__(
        self,
        title: str,
        save: Callable[[StaffForm], StaffChanged],
        parent: QWidget | None = None,
        *,
        member: StaffMember | None = None,
        pins: bool = False,
        details: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.changed: StaffChanged | None = None
        self.username, self.name = QLineEdit(), QLineEdit()
        self.roles = QComboBox()
        for role in Role:
            self.roles.addItem(role.value, role)
        self.pin, self.again = QLineEdit(), QLineEdit()
        for field, name in ((self.pin, "New PIN"), (self.again, "New PIN again")):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(name)
        form = QFormLayout()
        if details:
            form.addRow("Username", self.username)
            form.addRow("Name", self.name)
            form.addRow("Role", self.roles)
        if member is not None:
            self.username.setText(member.username)
            self.username.setReadOnly(True)
            self.name.setText(member.name)
            self.roles.setCurrentIndex(self.roles.findData(member.role))
        if pins:
            form.addRow(f"PIN ({MIN_PIN}–{MAX_PIN} digits)", self.pin)
            form.addRow("PIN again", self.again)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def role(self) -> Role:
        return Role(self.roles.currentData())

    def try_save(self) -> bool:
        try:
            self.changed = self._save(self)
        except DomainError as refused:
            self.error.setText(str(refused))
            self.pin.clear()
            self.again.clear()
            return False
        self.accept()
        return True
