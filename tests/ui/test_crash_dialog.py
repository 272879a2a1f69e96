"""An unexpected exception in the desk: a plain dialog that says saved work is safe, a report
beside the logs, and the window carries on (app.views.crash, app.services.diagnostics)."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtCore import QTimer

from app.models.uow import Store
from app.services.desk import Desk
from app.services.diagnostics import start_logging, write_crash_report
from app.views.crash import TITLE, CrashGuard
from tests.ui.conftest import book


def raised(error: BaseException):
    try:
        raise error
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_an_unexpected_error_shows_a_plain_dialog_and_writes_a_report(
    qtbot, manager, make_window, tmp_path, clock
):
    window = make_window(manager)
    guard = CrashGuard(tmp_path / "logs", clock, window)

    guard.caught(*raised(ZeroDivisionError("division by zero in the floor plan")))

    qtbot.waitUntil(lambda: guard.box is not None and guard.box.isVisible())
    [report] = guard.reports
    assert report == tmp_path / "logs" / "crash-20261125T150000Z.txt"
    text = report.read_text()
    assert "ZeroDivisionError: division by zero in the floor plan" in text
    assert "Traceback (most recent call last)" in text and "Python 3." in text
    assert guard.box.windowTitle() == TITLE
    assert "Everything you saved before it is safe" in guard.box.text()
    assert str(report) in guard.box.text()
    assert window.isVisible()


def test_a_burst_of_errors_writes_every_report_under_one_dialog(
    qtbot, manager, make_window, tmp_path, clock
):
    window = make_window(manager)
    guard = CrashGuard(tmp_path / "logs", clock, window)

    guard.caught(*raised(ValueError("first")))
    qtbot.waitUntil(lambda: guard.box is not None and guard.box.isVisible())
    box = guard.box
    clock.advance(seconds=1)
    guard.caught(*raised(ValueError("second")))
    qtbot.waitUntil(lambda: len(guard.reports) == 2)

    assert guard.box is box
    assert "ValueError: second" in guard.reports[1].read_text()


@pytest.mark.qt_no_exception_capture
def test_an_error_on_a_background_thread_is_shown_on_the_windows_thread(
    qtbot, manager, make_window, tmp_path, clock
):
    window = make_window(manager)
    guard = CrashGuard(tmp_path / "logs", clock, window)
    hooks = sys.excepthook, threading.excepthook
    guard.install()
    try:
        worker = threading.Thread(target=lambda: {}["missing"], name="sync")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: guard.box is not None and guard.box.isVisible())
    finally:
        sys.excepthook, threading.excepthook = hooks

    assert "KeyError: 'missing'" in guard.reports[0].read_text()


def test_a_report_that_cannot_be_written_is_said_so_in_the_dialog(
    qtbot, manager, make_window, tmp_path, clock
):
    (tmp_path / "a-file").write_text("not a folder")
    window = make_window(manager)
    guard = CrashGuard(tmp_path / "a-file" / "logs", clock, window)

    guard.caught(*raised(RuntimeError("boom")))

    qtbot.waitUntil(lambda: guard.box is not None and guard.box.isVisible())
    assert guard.reports == [None]
    assert "No report could be written" in guard.box.text()


def test_the_log_goes_to_the_log_folder_and_the_report_carries_its_last_lines(tmp_path, clock):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = [h for h in root.handlers if not hasattr(h, "baseFilename")]
    try:
        log_file = start_logging(tmp_path / "logs")
        logging.getLogger("app.test").warning("table 15 moved by Alex")
        report = write_crash_report(tmp_path / "logs", *raised(OSError("disk")), clock())
    finally:
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.handlers, root.level = saved

    assert log_file == tmp_path / "logs" / "backroom.log"
    assert "table 15 moved by Alex" in log_file.read_text()
    assert report is not None and "table 15 moved by Alex" in report.read_text()


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_shows_the_dialog_and_the_booking_saved_before_it_survives_a_restart(
    qtbot, desk, manager, make_window, db_path, tmp_path, clock
):
    booked = book(desk, manager, "Ava Wood", 2, 19)
    window = make_window(manager)
    guard = CrashGuard(tmp_path / "logs", clock, window)
    hooks = sys.excepthook, threading.excepthook

    def broken_slot() -> None:
        raise RuntimeError("a bug behind a button")

    guard.install()
    try:
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: guard.box is not None and guard.box.isVisible())
    finally:
        sys.excepthook, threading.excepthook = hooks
    assert "RuntimeError: a bug behind a button" in guard.reports[0].read_text()
    window.close()
    desk.store.close()

    restarted = Desk(Store(db_path), clock)
    try:
        night = restarted.queries.bookings_on(restarted.queries.tonight())
    finally:
        restarted.store.close()
    assert [v.booking.reference for v in night] == [booked.reference]
