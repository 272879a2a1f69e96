"""The window on a desk file it cannot use: it says what happened and what to do, and the
booking form keeps what staff typed."""

from __future__ import annotations

import contextlib
import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.views.app import CANNOT_OPEN, run_desk
from tests.integration.file_faults import FUTURE_REVISION, from_a_newer_backroom, full_disk
from tests.ui.test_booking_form import open_form


def message_when_starting(qtbot, db_path, *, create: bool) -> tuple[int, str]:
    """Start the desk as `backroom` does; read the message box it shows, then close it."""
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, read_and_close)

    QTimer.singleShot(0, read_and_close)
    code = run_desk(db_path, create=create)
    return code, " ".join(seen)


def test_the_window_refuses_a_file_from_a_newer_backroom_in_words(qtbot, store, db_path):
    store.close()
    from_a_newer_backroom(db_path)

    code, said = message_when_starting(qtbot, db_path, create=False)

    assert code == CANNOT_OPEN
    assert f"written by a newer Backroom (schema {FUTURE_REVISION}" in said
    assert "update this desk" in said


def test_the_window_does_not_make_a_new_desk_at_a_mistyped_path(qtbot, tmp_path):
    typo = tmp_path / "Desks" / "bar.sqlite3"

    code, said = message_when_starting(qtbot, typo, create=False)

    assert code == CANNOT_OPEN and f"There is no desk database at {typo}" in said
    assert not typo.parent.exists()


def test_a_booking_saved_on_a_full_disk_is_refused_in_words_and_the_form_keeps_it(
    qtbot, desk, manager, make_window, db_path
):
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute("VACUUM")  # no free page left inside the file: the booking needs new ones
    window = make_window(manager)
    form = open_form(window)
    form.name.setText("Ada Lovelace")
    form.phone.setText("0113 496 0111")
    form.notes.setPlainText("Allergic to shellfish. " * 80)

    with full_disk():
        desk.store.writer.dispose()  # the desk's next connection meets the full disk
        with qtbot.waitSignal(window.ops.refused) as refused:
            form.save_button.click()

    assert "The disk is full" in refused.args[0] and "nothing was saved" in refused.args[0]
    assert form.isVisible() and "The disk is full" in form.status.text()
    assert form.name.text() == "Ada Lovelace" and form.phone.text() == "0113 496 0111"
    assert form.notes.toPlainText().startswith("Allergic to shellfish.")
    assert desk.queries.bookings_on(desk.queries.tonight()) == []
    assert desk.queries.pending_intents() == 0
