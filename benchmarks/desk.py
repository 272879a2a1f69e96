"""Desk benchmarks: cold start to an interactive floor plan, and floor repaints during a drag.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python benchmarks/desk.py

Prints the figures recorded in docs/benchmarks.md (section "Desk").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NIGHT = datetime(2026, 11, 27, 21, 30, tzinfo=UTC)

# The child is a fresh interpreter: imports, database open (with the migration check),
# sign-in, the main window, until the floor plan has been painted once.
CHILD = """
import sys
from datetime import datetime
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from app.models.uow import Store
from app.services.desk import Desk
from app.views.main_window import MainWindow

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("ready", flush=True)
            QApplication.instance().quit()
        return False

app = QApplication(sys.argv)
now = datetime.fromisoformat(sys.argv[2])
desk = Desk(Store(__import__("pathlib").Path(sys.argv[1])), lambda: now)
staff = desk.auth.sign_in("sam", "1111")
window = MainWindow(desk, staff)
painted = Painted()
window.floor.view.viewport().installEventFilter(painted)
window.show()
app.exec()
window.close()
"""


def seeded_db(directory: Path) -> Path:
    from app.models.uow import Store
    from app.services.demo import seed_demo

    path = directory / "demo.db"
    store = Store(path)
    seed_demo(store, lambda: NIGHT)
    store.close()
    return path


def cold_start(path: Path, runs: int = 7) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), NIGHT.isoformat()],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert child.stdout is not None
        line = child.stdout.readline()
        elapsed = time.perf_counter() - started
        child.wait()
        assert line.strip() == "ready", line
        times.append(elapsed)
    return times


def drag_repaints(tables: int = 200, frames: int = 120) -> list[float]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.domain.floorplan import Area, FloorPlan, Shape, Table
    from app.views.floor_plan.scene import FloorScene
    from app.views.floor_plan.view import FloorView

    app = QApplication.instance() or QApplication(sys.argv)
    area = Area("a", "Hall")
    shapes = [Shape.ROUND, Shape.SQUARE, Shape.RECT, Shape.BOOTH]
    plan = FloorPlan(
        (area,),
        tuple(
            Table(
                id=f"t{i}",
                number=i + 1,
                area_id="a",
                min_covers=1,
                max_covers=2 + i % 6,
                shape=shapes[i % 4],
                x=40 + (i % 20) * 90,
                y=40 + (i // 20) * 90,
                width=70 if shapes[i % 4] is Shape.RECT else 55,
                height=55,
            )
            for i in range(tables)
        ),
    )
    scene = FloorScene()
    scene.set_plan(plan)
    view = FloorView(scene)
    view.resize(1280, 800)
    view.show()
    view.fit()
    app.processEvents()
    viewport = view.viewport()
    a = view.mapFromScene(scene.items_by_id["t0"].scenePos())
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    durations = []
    for i in range(frames):
        # Sweep across the whole floor so the ghost crosses and highlights many tables.
        p = a + QPoint((i * 9) % 1100, (i * 5) % 700)
        started = time.perf_counter()
        QTest.mouseMove(viewport, p)
        viewport.repaint()
        durations.append((time.perf_counter() - started) * 1000)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
    view.close()
    view.setScene(None)
    scene.clear()
    del view, scene
    return durations[5:]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = seeded_db(Path(tmp))
        starts = cold_start(path)
    print(
        f"cold start to a painted floor plan (demo night, {len(starts)} runs): "
        f"median {statistics.median(starts):.2f} s, worst {max(starts):.2f} s"
    )
    frames = drag_repaints()
    frames.sort()
    p95 = frames[int(len(frames) * 0.95) - 1]
    print(
        f"floor repaint during a drag, 200 tables, full viewport ({len(frames)} frames): "
        f"median {statistics.median(frames):.2f} ms, p95 {p95:.2f} ms, worst {max(frames):.2f} ms"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
