"""Take the README's screenshots from a real desk window on The Backroom's demo night.

Run under Xvfb so the window is real (see docs/desk.md):
    xvfb-run -a env QT_QPA_PLATFORM=xcb PYTHONPATH=. .venv/bin/python scripts/screenshots.py
The night is a fixed Friday at 21:30, so the pictures can be re-taken identically.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.models.uow import Store
from app.services.demo import bring_to_now, ensure_venue, generate_night
from app.services.desk import Desk
from app.views.main_window import MainWindow
from scripts.screenshots_first_run import shoot_data_request, shoot_first_run, shoot_staff
from scripts.screenshots_review import shoot_review

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
NIGHT = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)  # a Friday, 21:30 in Leeds


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()
        QTest.qWait(15)


def shoot(widget: QWidget, name: str) -> None:
    path = OUT / name
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    app = QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shoot_first_run(app, Path(tmp), Clock(NIGHT), shoot, settle)
        clock = Clock(NIGHT - timedelta(minutes=40))
        store = Store(Path(tmp) / "demo.db")
        ensure_venue(store, clock)
        day = NIGHT.date()
        generate_night(store, clock, day)
        clock.now = NIGHT
        bring_to_now(store, clock, day)
        desk = Desk(store, clock)
        with store.read() as reader:
            found = reader.staff.by_username("alex")
        assert found is not None
        window = MainWindow(desk, found[0])
        window.resize(1800, 940)
        window.show()
        settle(app)

        waiting = window.waitlist.model.rows()
        if waiting:
            window.waitlist.select(waiting[0].booking.id)
        window.floor.view.fit()
        settle(app)
        show_a_drag_in_progress(window, app)
        shoot(window, "floor-plan.png")
        finish_drag(window)

        window.tabs.setCurrentIndex(1)
        window.timeline.view.horizontalScrollBar().setValue(0)
        settle(app)
        shoot(window, "timeline.png")
        window.tabs.setCurrentIndex(0)

        if waiting:
            window.waitlist.select(waiting[0].booking.id)
        dock = window.waitlist_dock
        dock.setFloating(True)
        dock.resize(470, 430)
        settle(app)
        shoot(dock, "waitlist.png")
        dock.setFloating(False)

        shoot_table_details(app, window)
        shoot_prices(app, window)
        window.new_booking()
        form = window.form
        form.name.setText("Priya Shah")
        form.phone.setText("0113 496 0777")
        form.occasion.setCurrentText("Birthday")
        form.requests.setText("Cake at 21:00, candles please")
        form.party.setValue(9)
        form.time.setTime(QTime(19, 0))
        form.refresh_options()
        form.package.setCurrentIndex(form.package.findData("prosecco"))
        form.refresh_options()
        form.adjustSize()
        settle(app)
        shoot(form, "booking-form.png")
        form.party.setValue(2)
        form.time.setTime(QTime(22, 0))
        form.refresh_options()
        settle(app)
        form.close()
        shoot_staff(app, window, desk, shoot, settle)
        shoot_data_request(app, window, desk, Path(tmp), shoot, settle)
        window.close()
        store.close()
        shoot_review(app, Path(tmp), shoot, settle)
    return 0


def shoot_prices(app: QApplication, window: MainWindow) -> None:
    """Desk → Deposits and packages…, a manager adding a package (not saved)."""
    window.set_prices()
    dialog = window.prices_dialog
    dialog.packages.add_button.click()
    row = dialog.packages.table.rowCount() - 1
    name, price, per_head, least, _, includes = (
        dialog.packages.table.cellWidget(row, c) for c in range(6)
    )
    name.setText("Champagne tower")  # type: ignore[attr-defined]
    price.setText("240.00")  # type: ignore[attr-defined]
    per_head.setChecked(False)  # type: ignore[attr-defined]
    least.setValue(8)  # type: ignore[attr-defined]
    includes.setText("a tower of twenty coupes, poured at the table")  # type: ignore[attr-defined]
    dialog.resize(900, dialog.sizeHint().height())
    settle(app)
    shoot(dialog, "prices.png")
    dialog.reject()
    settle(app)


def shoot_table_details(app: QApplication, window: MainWindow) -> None:
    """The manager's Table… window in edit mode, on the booth sold with a minimum spend."""
    plan = window.floor.plan
    assert plan is not None and window.floor.set_edit_mode(True)
    dialog = window.floor.open_table(plan.table_by_number(12).id)
    assert dialog is not None
    settle(app)
    shoot(dialog, "table-details.png")
    dialog.close()
    window.floor.set_edit_mode(False)
    settle(app)


def show_a_drag_in_progress(window: MainWindow, app: QApplication) -> None:
    """Press on a booked table and move towards a free one, so the ghost and target show."""
    scene, view = window.floor.scene, window.floor.view
    plan = window.floor.plan
    assert plan is not None
    booked = [t for t in plan.active_tables() if scene.booking_on(t.id) and t.max_covers <= 4]
    free = [t for t in plan.active_tables() if not scene.booking_on(t.id) and t.max_covers == 4]
    if not booked or not free:
        return
    source = scene.items_by_id[booked[0].id].scenePos()
    target = scene.items_by_id[free[0].id].scenePos() + QPointF(6, 4)
    viewport = view.viewport()
    a, b = view.mapFromScene(source), view.mapFromScene(target)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    for i in range(1, 9):
        QTest.mouseMove(viewport, a + (b - a) * (i / 8), 10)
    settle(app)


def finish_drag(window: MainWindow) -> None:
    # Let go off any table, so nothing is moved by taking the picture.
    viewport = window.floor.view.viewport()
    QTest.mouseMove(viewport, viewport.rect().topLeft(), 10)
    QTest.mouseRelease(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        viewport.rect().topLeft(),
    )


if __name__ == "__main__":
    sys.exit(main())
