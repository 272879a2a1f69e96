"""The night review: a 300-booking night with twelve weeks of history behind it.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python benchmarks/review.py [FILE]

(FILE: keep the seeded desk there and reuse it on the next run; seeding takes minutes.)

A venue of 128 tables (The Backroom's plan eight times over) holds ~300 bookings a night
(301 on the reviewed Saturday), every night for the 12 weeks before it (about 26 000
bookings and 71 000 audit events in the file). Measures, over several runs after one warm-up:

* review computed and painted: ``NightReviews.night`` (the night read by index and worked
  out, its 12 Saturdays' figures kept from the warm-up as a window keeps them, each
  checked against its stamp) plus the review panel filled and painted once (``grab``);
* the same for a first review (a new ``NightReviews``: the 12 Saturdays read and worked
  out too);
* PDF: ``write_pdf`` of the review (A4, every chart and table);
* CSV: ``write_csv`` (bookings and summary files).

Prints the figures recorded in docs/benchmarks.md ("Night review").
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.models.demo_history_writer import write_history
from app.models.uow import Store
from app.services.demo import ensure_venue
from app.services.demo_history import build_history
from app.services.desk import Desk
from app.services.review import NightReviews
from app.services.review_export import write_csv
from app.views.review_panel import ReviewPanel
from app.views.review_report import write_pdf
from resources import BACKROOM_JSON

NIGHT = date(2026, 11, 28)  # a Saturday
MORNING_AFTER = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
COPIES = 8
RUNS = 7
# Parties asked for each night: the generator's allocation seats 301 of them on the
# reviewed night (and about as many on every other), so the night has 300 bookings.
ASKED = 385
AT_LEAST = 300


def big_venue() -> dict:
    """The Backroom's floor eight times over (128 tables; each copy's 15 + 16 join too)."""
    data = json.loads(BACKROOM_JSON.read_text())
    tables, combos = [], []
    for copy in range(COPIES):
        ids = {}
        for t in data["tables"]:
            ids[t["id"]] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{copy}/{t['id']}"))
            tables.append(t | {"id": ids[t["id"]], "number": t["number"] + 100 * copy})
        for c in data["combinations"]:
            combos.append(
                c
                | {
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{copy}/{c['id']}")),
                    "name": f"{c['name']} ({copy + 1})",
                    "table_ids": [ids[i] for i in c["table_ids"]],
                }
            )
    return data | {"tables": tables, "combinations": combos}


def seed(path: Path) -> int:
    store = Store(path)
    ensure_venue(store, lambda: MORNING_AFTER)
    with store.unit_of_work() as uow:
        uow.session.execute(__import__("sqlalchemy").text("DELETE FROM dining_table"))
        uow.session.execute(__import__("sqlalchemy").text("DELETE FROM combination"))
        big = big_venue()
        from app.models.tables import CombinationRow, TableRow

        venue_id = big["venue"]["id"]
        for t in big["tables"]:
            uow.session.add(TableRow(venue_id=venue_id, updated_at=MORNING_AFTER, **t))
        for c in big["combinations"]:
            uow.session.add(CombinationRow(venue_id=venue_id, updated_at=MORNING_AFTER, **c))
        uow.commit()
    with store.read() as reader:
        rules = reader.venue.get()
    nights = [NIGHT - timedelta(days=k) for k in range(0, 12 * 7 + 1)]
    history = build_history(
        rules, NIGHT + timedelta(days=1), random.Random(5), nights, (ASKED,) * 7
    )
    write_history(store, history.customers, history.bookings, history.events, history.ledger)
    store.close()
    return len(history.bookings)


def timed(run, runs: int = RUNS) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run (CPU too: this machine is shared, and a busy
    neighbour stretches wall time without the code doing more)."""
    run()  # warm-up: imports, caches, fonts
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def show(name: str, times: tuple[list[float], list[float]], target: float) -> None:
    wall, cpu = times
    ok = "✔" if statistics.median(wall) <= target else "✘"
    print(
        f"{name:<30} wall best {min(wall):7.1f}, median {statistics.median(wall):7.1f}, "
        f"worst {max(wall):7.1f} ms; "
        f"CPU median {statistics.median(cpu):7.1f} ms  (target ≤ {target:.0f} ms) {ok}"
    )


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "bench.db"
        if not path.exists():
            started = time.perf_counter()
            total = seed(path)
            print(f"seeded {total} bookings in {time.perf_counter() - started:.1f} s")
        store = Store(path)
        desk = Desk(store, lambda: MORNING_AFTER)
        staff = next(s for s in desk.auth.staff() if s.role.value == "manager")
        reviews = NightReviews(store, lambda: MORNING_AFTER)
        reviewed = reviews.night(staff, NIGHT)
        if len(reviewed.review.visits) < AT_LEAST:
            print(f"{path} has fewer than {AT_LEAST} bookings on {NIGHT}: seed a new file")
            return 1
        print(
            f"night of {NIGHT}: {len(reviewed.review.visits)} bookings, "
            f"{reviewed.history_nights} Saturdays of history, load {os.getloadavg()[0]:.1f}"
        )
        panel = ReviewPanel()
        panel.resize(1500, 1800)

        def compute_and_paint(source: NightReviews) -> None:
            panel.show_night(source.night(staff, NIGHT))
            panel.grab()
            app.processEvents()

        def first_open() -> NightReviews:
            # A new window's first review: nothing kept from an earlier call.
            return NightReviews(store, lambda: MORNING_AFTER)

        show("first review computed", timed(lambda: first_open().night(staff, NIGHT)), 500)
        show("first computed and painted", timed(lambda: compute_and_paint(first_open())), 500)
        show("review computed", timed(lambda: reviews.night(staff, NIGHT)), 500)
        show("review computed and painted", timed(lambda: compute_and_paint(reviews)), 500)
        show("PDF (A4)", timed(lambda: write_pdf(reviewed, Path(tmp) / "night.pdf")), 1000)
        show("CSV (bookings + summary)", timed(lambda: write_csv(reviewed, Path(tmp))), 200)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
