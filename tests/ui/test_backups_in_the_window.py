"""The window backs the desk up by itself (on opening when one is due, on a timer and on
closing), says so when a backup fails, and lets a manager restore one from the menu."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.backups import BackupPolicy
from app.services.backups import AutoBackups
from tests.ui.conftest import book


def backups_in(folder) -> list[str]:
    """The finished backups: one being written is a hidden ".partial" file until it is whole."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def answer_next_box(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)


def test_opening_the_window_takes_a_backup_and_closing_it_takes_another(
    qtbot, desk, manager, make_window, db_path, clock
):
    folder = db_path.parent / "backups"
    window = make_window(manager)
    qtbot.waitUntil(lambda: len(backups_in(folder)) == 1)
    clock.advance(minutes=30)  # not due yet: the timer's check takes none

    window.backups.when_due()
    qtbot.wait(200)
    assert len(backups_in(folder)) == 1
    window.close()

    assert backups_in(folder) == ["desk-20261125T150000Z.sqlite3", "desk-20261125T153000Z.sqlite3"]


def test_a_backup_that_fails_is_shown_on_the_notice_bar(
    qtbot, desk, manager, make_window, tmp_path, clock
):
    (tmp_path / "a-file").write_text("not a folder")
    desk.backups = AutoBackups(
        desk.store.path, tmp_path / "a-file" / "backups", BackupPolicy(), clock
    )
    window = make_window(manager)

    qtbot.waitUntil(lambda: "The automatic backup failed" in window.notice.text())


def test_back_up_now_says_where_the_copy_went(qtbot, manager, make_window, db_path, clock):
    window = make_window(manager)
    qtbot.waitUntil(lambda: len(backups_in(db_path.parent / "backups")) == 1)
    clock.advance(minutes=1)

    window.backups.now()

    qtbot.waitUntil(lambda: "Backed up to" in window.notice.text())
    assert "desk-20261125T150100Z.sqlite3" in window.notice.text()


def test_a_manager_restores_a_backup_from_the_menu_and_the_window_closes(
    qtbot, desk, manager, make_window, db_path, clock
):
    first = book(desk, manager, "Ava Wood", 2, 19)
    window = make_window(manager)
    folder = db_path.parent / "backups"
    qtbot.waitUntil(lambda: len(backups_in(folder)) == 1)
    book(desk, manager, "Ben Hall", 2, 20)
    seen: list[str] = []
    answer_next_box(QMessageBox.StandardButton.Yes, seen)

    window.backups.restore_from(folder / backups_in(folder)[0])
    answer_next_box(QMessageBox.StandardButton.Ok, seen)

    qtbot.waitUntil(lambda: not window.isVisible())
    assert "kept aside first" in seen[0] and "Backroom will now close" in seen[1]
    with sqlite3.connect(db_path) as conn:
        assert [r[0] for r in conn.execute("SELECT reference FROM booking")] == [first.reference]


def test_saying_no_to_a_restore_changes_nothing(qtbot, desk, manager, make_window, db_path):
    book(desk, manager, "Ava Wood", 2, 19)
    window = make_window(manager)
    folder = db_path.parent / "backups"
    qtbot.waitUntil(lambda: len(backups_in(folder)) == 1)
    book(desk, manager, "Ben Hall", 2, 20)
    answer_next_box(QMessageBox.StandardButton.No, [])

    window.backups.restore_from(folder / backups_in(folder)[0])

    qtbot.wait(200)
    assert window.isVisible()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM booking").fetchone()[0] == 2


def test_reception_is_not_offered_a_restore(qtbot, reception, make_window):
    window = make_window(reception)

    assert not window.act_restore.isVisible()
