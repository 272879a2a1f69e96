"""The night review's screenshots: the demo's Friday, reviewed the morning after, against the
twelve Fridays before it (app.services.demo_history)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.models.uow import Store
from app.services.demo import seed_demo
from app.services.desk import Desk
from app.services.review import NightReviews
from app.views.review_window import ReviewWindow

FRIDAY = date(2026, 11, 27)
AFTER_CLOSE = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
NEXT_MORNING = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def shoot_review(
    app: QApplication,
    tmp: Path,
    shoot: Callable[[QWidget, str], None],
    settle: Callable[[QApplication], None],
) -> None:
    store = Store(tmp / "review.db")
    seed_demo(store, lambda: AFTER_CLOSE, FRIDAY, history=True)
    desk = Desk(store, lambda: NEXT_MORNING)
    with store.read() as reader:
        found = reader.staff.by_username("alex")
    assert found is not None
    window = ReviewWindow(NightReviews(store, desk.clock), found[0])
    window.resize(1500, 1040)
    window.show()
    settle(app)
    shoot(window, "night-review.png")
    incidents = window.current.review.incidents if window.current else ()
    if incidents:
        dialog = window.show_history(incidents[0].booking_id)
        if dialog is not None:
            settle(app)
            shoot(dialog, "booking-history.png")
            dialog.close()
    window.show_night(FRIDAY, date(2026, 11, 20))
    settle(app)
    shoot(window, "night-review-compare.png")
    window.close()
    store.close()
