"""Take the README's deposit screenshots from a real desk window connected to a real server
that takes payments through the Stripe fake: the set-up of ``scripts/payments-demo``.

Run under Xvfb with a screen large enough for the window (see docs/payments.md, "Try it"):
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=. \
        .venv/bin/python scripts/screenshots_payments.py
The server and the fake run on the system's clock, so the bookings are on the coming Saturday.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_actions import CLAIMABLE
from app.domain.deposit_links import RequestStatus
from app.domain.permissions import Staff
from app.models.uow import Store
from app.services.booking_create import NewBooking
from app.services.common import system_clock
from app.services.compose import desk_on
from app.services.desk import Desk
from app.services.first_run import FirstRun
from app.services.queries import BookingView
from app.sync.first_connect import Choice
from app.sync.status import SyncState
from app.views.main_window import MainWindow
from scripts.payments_demo import OWNER, OWNER_PASSWORD, DemoServer, demo_server, next_saturday
from tests.sync import memory_keyring

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DEPOSIT_COLUMN = 5


def settle(app: QApplication, rounds: int = 10) -> None:
    for _ in range(rounds):
        app.processEvents()
        QTest.qWait(15)


def until(app: QApplication, what: Callable[[], bool], why: str, timeout: float = 60) -> None:
    """Let the window (and the desk's sync thread) run until ``what`` holds."""
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting: {why}")
        settle(app, 3)


def grab_screen(widget: QWidget, name: str, extra: QRect | None = None) -> None:
    """The screen where ``widget`` is (with any tooltip or dialog on it), as a user sees it."""
    rect = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    if extra is not None:
        rect = rect.united(extra)
    screen = QGuiApplication.primaryScreen()
    path = OUT / name
    screen.grabWindow(0, rect.x(), rect.y(), rect.width(), rect.height()).save(str(path))
    print(f"wrote {path}")


class Night:
    """The window on the coming Saturday, and the bookings made in it."""

    def __init__(self, app: QApplication, desk: Desk, staff: Staff, window: MainWindow) -> None:
        self.app, self.desk, self.staff, self.window = app, desk, staff, window
        self.day: date = next_saturday(date.today())

    def book(self, name: str, phone: str, party: int, hh: int, mm: int = 0) -> str:
        venue = self.desk.queries.venue().venue
        start = venue.wall_time_on(self.day, clock_time(hh, mm))
        cmd = NewBooking(name=name, phone=phone, party_size=party, start=start)
        made: list[str] = []
        # Through the window's own commands, so every view follows and the desk syncs.
        self.window.commands.create(cmd, lambda result: made.append(result.booking.id))
        until(self.app, lambda: bool(made), f"{name}'s booking saved")
        settle(self.app)
        return made[0]

    def view(self, booking_id: str) -> BookingView:
        found = self.desk.queries.booking(booking_id)
        assert found is not None
        return found

    def select(self, booking_id: str) -> None:
        self.window.bookings.status.setCurrentText("All")
        self.window.state.select(booking_id)
        settle(self.app)

    def press(self, booking_id: str, button: str) -> None:
        self.select(booking_id)
        action = self.window.bookings.actions_by_name[button]
        until(self.app, action.isEnabled, f"{button} enabled")
        action.trigger()
        settle(self.app)

    def link_sent(self, booking_id: str) -> str:
        """Send payment link, and wait for the server's link to reach this desk."""
        self.press(booking_id, "Send payment link")

        def open_link() -> bool:
            link = self.view(booking_id).link
            return link is not None and link.status is RequestStatus.OPEN

        until(self.app, open_link, "the payment link made by the server")
        link = self.view(booking_id).link
        assert link is not None and link.url
        return link.url

    def deposit_is(self, booking_id: str, *states: DepositState) -> None:
        until(
            self.app,
            lambda: self.view(booking_id).booking.deposit_state in states,
            f"the deposit {' or '.join(s.value for s in states)}",
        )
        settle(self.app)

    def synced(self, booking_id: str, status: BookingStatus) -> None:
        """Wait for ``status`` saved on this desk, then sent and the badge "Up to date"."""
        until(self.app, lambda: self.view(booking_id).booking.status is status, status.value)
        sync = self.desk.sync
        assert sync is not None

        def sent() -> bool:
            now = sync.monitor.status
            return now.pending == 0 and now.state is SyncState.UP_TO_DATE

        until(self.app, sent, "every change sent")
        settle(self.app)


def main() -> int:
    app = QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    memory_keyring.install()
    with tempfile.TemporaryDirectory() as tmp, demo_server(print) as server:
        db = Path(tmp) / "desk.sqlite3"
        first = FirstRun(Store(db), system_clock)
        first.try_demo()
        first.connect(db, server.url, OWNER, OWNER_PASSWORD, choice=Choice.UPLOAD)
        desk = desk_on(first.store)
        alex = desk.auth.sign_in("alex", "2222")
        window = MainWindow(desk, alex)
        window.resize(1600, 900)
        window.show()
        settle(app)
        try:
            shoot_deposits(app, Night(app, desk, alex, window), server)
        finally:
            window.close()
            assert desk.sync is not None
            desk.sync.stop()
            desk.store.close()
    return 0


def shoot_deposits(app: QApplication, night: Night, server: DemoServer) -> None:
    window = night.window
    window.state.set_day(night.day)
    # Wide enough for the deposit column's longer words ("£80.00 owed (link sent)") whole.
    window.resizeDocks([window.bookings_dock], [640], Qt.Orientation.Horizontal)
    settle(app)

    priya = night.book("Priya Shah", "0113 496 0777", 8, 20)
    url = night.link_sent(priya)
    night.press(priya, "Copy link")
    show_deposit_tooltip(night, priya)
    grab_screen(window, "deposit-link.png")
    QToolTip.hideText()

    server.fake.pay(url.rsplit("/", 1)[-1])
    night.deposit_is(priya, DepositState.PAID)
    night.select(priya)
    grab_screen(window, "deposit-paid.png")

    # A late cancellation paid online, refunded in part by a manager (one in good time is
    # refunded in full by itself): the venue asks two weeks' notice for this one. The coming
    # Saturday is up to eight days away (from a Saturday), so a week's was in good time then.
    server.notice_hours(24 * 14)
    ravi = night.book("Ravi Patel", "0113 496 0778", 6, 21, 30)
    server.fake.pay(night.link_sent(ravi).rsplit("/", 1)[-1])
    night.deposit_is(ravi, DepositState.PAID)
    window.commands.cancel(ravi, "Guest called: plans changed")
    night.synced(ravi, BookingStatus.CANCELLED)
    night.press(ravi, "Refund deposit…")
    dialog = window.bookings.money_dialog
    assert dialog is not None
    dialog.reason.setText("Cancelled in good time")
    settle(app)
    grab_screen(window, "deposit-refund.png")
    dialog.go.click()
    night.deposit_is(ravi, DepositState.REFUNDED)

    # The venue secures deposits on the card from now on: a hold, claimed on a late
    # cancellation (a no-show can only be marked once the party's time has come, and the
    # server runs on this computer's clock, days before the night).
    server.guarantee(True)
    tom = night.book("Tom Baker", "0113 496 0779", 6, 19)
    server.fake.pay(night.link_sent(tom).rsplit("/", 1)[-1])
    # A hold when the night is close enough for one, else the card saved: both are claimed
    # the same way (app.domain.deposit_modes; from a Saturday, the coming one is too far).
    night.deposit_is(tom, *CLAIMABLE)
    window.commands.cancel(tom, "Guest called: not coming")
    night.synced(tom, BookingStatus.CANCELLED)
    night.press(tom, "Claim deposit…")
    grab_screen(window, "deposit-claim.png")
    claim = window.bookings.money_dialog
    assert claim is not None
    claim.go.click()
    night.deposit_is(tom, DepositState.CLAIMED)

    # Days later Ravi's bank sends his refund back (his card was closed): the manager's
    # money badge counts it, whatever night the desk shows.
    refund = server.fake.client().v1.refunds.list().data[0]
    server.fake.fail_refund(refund.id)
    night.deposit_is(ravi, DepositState.REFUND_FAILED)
    window.state.set_day(night.day - timedelta(days=3))
    until(app, window.top.money.isVisible, "the money badge")
    listed = window.money_actions.open_list()
    listed.move(window.mapToGlobal(QPoint(200, 160)))
    settle(app, 20)
    grab_screen(window, "money-to-see-to.png")
    listed.close()


def show_deposit_tooltip(night: Night, booking_id: str) -> None:
    """Hover the booking's deposit cell, so its tooltip (the link and until when) shows."""
    bookings = night.window.bookings
    row = bookings.model.row_of(booking_id)
    index = bookings.proxy.mapFromSource(bookings.model.index(row, DEPOSIT_COLUMN))
    bookings.table.scrollTo(index)
    cell = bookings.table.visualRect(index)
    viewport = bookings.table.viewport()
    text = index.data(0x03)  # Qt.ToolTipRole
    QToolTip.showText(viewport.mapToGlobal(cell.center()), str(text), viewport)
    settle(night.app, 20)


if __name__ == "__main__":
    sys.exit(main())
