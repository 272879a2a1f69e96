"""Areas and combinations in the manager's edit mode: the two dialogs and their undo.

An edit is pushed on the floor's undo stack only once it has been saved, so a
refused edit leaves nothing to undo; undo stores the area or combination as it
was (a new one is removed or retired again, a removed one comes back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from app.domain.floorplan import Area, Combination
from app.services.floor import AreaSaved, CombinationSaved
from app.services.queries import Queries
from app.views.areas_dialog import AreasDialog
from app.views.combinations_dialog import CombinationsDialog
from app.views.commands import Commands


class SavedEdit(QUndoCommand):
    """An area or combination edit already stored; redo and undo store each side again."""

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._redo, self._undo = redo, undo
        self._first = True

    def redo(self) -> None:
        """QUndoCommand::redo: the first time (on push) the edit is already saved."""
        if self._first:
            self._first = False
            return
        self._redo()

    def undo(self) -> None:
        """QUndoCommand::undo: store the other side of the edit."""
        self._undo()


class FloorSetup(QObject):
    """Owns the "Areas…" and "Combinations…" actions and opens their dialogs."""

    def __init__(
        self,
        queries: Queries,
        commands: Commands,
        undo: QUndoStack,
        parent: QWidget,
        reload: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.queries, self.commands, self.undo = queries, commands, undo
        self._parent, self._reload = parent, reload
        self.act_areas = QAction("Areas…", parent, shortcut=QKeySequence("Ctrl+Shift+A"))
        self.act_combinations = QAction(
            "Combinations…", parent, shortcut=QKeySequence("Ctrl+Shift+J")
        )
        self.areas_dialog: AreasDialog | None = None
        self.combinations_dialog: CombinationsDialog | None = None

    @property
    def actions(self) -> list[QAction]:
        return [self.act_areas, self.act_combinations]

    def open_areas(self) -> AreasDialog:
        if self.areas_dialog is None:
            self.areas_dialog = AreasDialog(self.queries, self.commands, self._parent)
            self.areas_dialog.saved.connect(self._area_saved)
        self.areas_dialog.reload()
        self._show(self.areas_dialog)
        return self.areas_dialog

    def open_combinations(self, table_ids: Sequence[str] = ()) -> CombinationsDialog:
        if self.combinations_dialog is None:
            self.combinations_dialog = CombinationsDialog(self.queries, self.commands, self._parent)
            self.combinations_dialog.saved.connect(self._combination_saved)
        dialog = self.combinations_dialog
        dialog.reload()
        if len(table_ids) >= 2:
            dialog.propose(tuple(table_ids))
        self._show(dialog)
        return dialog

    @staticmethod
    def _show(dialog: QWidget) -> None:
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        dialog.raise_()

    def refresh(self) -> None:
        """The plan changed (here, by undo, or by sync): open dialogs show it as stored."""
        for dialog in (self.areas_dialog, self.combinations_dialog):
            if dialog is not None and dialog.isVisible():
                dialog.reload()

    def close_dialogs(self) -> None:
        for dialog in (self.areas_dialog, self.combinations_dialog):
            if dialog is not None:
                dialog.close()

    # Undo ---------------------------------------------------------------------------------

    def _area_saved(self, before: tuple[Area, bool] | None, result: AreaSaved) -> None:
        def store(side: tuple[Area, bool] | None, fallback: Area) -> None:
            if side is not None and side[1]:
                self.commands.save_area(side[0], failed=self._failed)
            else:
                self.commands.remove_area(fallback.id, failed=self._failed)

        after = (result.area, result.active)
        self.undo.push(
            SavedEdit(
                result.message.rstrip("."),
                lambda: store(after, result.area),
                lambda: store(before, result.area),
            )
        )

    def _combination_saved(
        self, before: tuple[Combination, bool] | None, result: CombinationSaved
    ) -> None:
        def store(side: tuple[Combination, bool] | None, fallback: Combination) -> None:
            if side is not None and side[1]:
                self.commands.save_combination(side[0], failed=self._failed)
            else:
                self.commands.retire_combination(fallback.id, failed=self._failed)

        after = (result.combination, result.active)
        self.undo.push(
            SavedEdit(
                result.message.rstrip("."),
                lambda: store(after, result.combination),
                lambda: store(before, result.combination),
            )
        )

    def _failed(self, _error: Exception) -> None:
        """An undo or redo the rules refuse is shown by the window; redraw what is stored."""
        self._reload()
        self.refresh()
