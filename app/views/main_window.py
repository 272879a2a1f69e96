"""The desk's main window: the panels, the menus and shortcuts, and the one broadcast.

Every panel is handed the read side (``Queries``), the ``Commands`` that run use
cases on the database worker, and the shared ``DeskState``. After each write
``Operations.changed`` says what changed and each panel refreshes only that.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action, Staff
from app.services.conflicts import WORDS
from app.services.demo import demo_pins_hint
from app.services.desk import Desk
from app.services.night_plan import PlannedNight
from app.sync.status import SyncMonitor, SyncState, SyncStatus
from app.views.backups import BackupController
from app.views.booking_form import BookingForm
from app.views.bookings_list import BookingsList
from app.views.changes import Change
from app.views.commands import Commands
from app.views.conflicts_inbox import ConflictsInbox
from app.views.connect_dialog import ConnectDialog
from app.views.floor_plan.panel import FloorPanel
from app.views.guest_request_dialog import GuestRequestDialog
from app.views.lost_bookings_dialog import LostBookingsDialog
from app.views.message_actions import MessageActions
from app.views.money_actions import MoneyActions
from app.views.night import CachedQueries
from app.views.night_plan_dialog import NightPlanDialog
from app.views.pin_dialog import ChangePinDialog
from app.views.prices_dialog import PricesDialog
from app.views.refusal_actions import RefusalActions
from app.views.repair_dialog import RepairDialog
from app.views.review_actions import WARM_UP_MS, ReviewActions
from app.views.sign_in import SignInDialog
from app.views.staff_dialog import StaffDialog
from app.views.state import DeskState, present
from app.views.sync_badge import SyncBridge
from app.views.timeline import TimelinePanel
from app.views.toolbar import TopBar
from app.views.undo_cancel import UndoCancelOffer
from app.views.waitlist_panel import WaitlistPanel
from app.views.workers import Operations, Worker

ACTIONS = frozenset(a.value for a in Action)
RESOLUTIONS = {words: resolution for resolution, words in WORDS.items()}
# How often the window looks at the clock: a live floor moves on within this of the minute.
TICK_MS = 15_000
NOTICE = "border-radius:4px; padding:4px 8px; font-weight:600;"
OK_STYLE = f"background:#e3f3e6; color:#1d5b2e; border:1px solid #93c9a1; {NOTICE}"
NO_STYLE = f"background:#fde3e0; color:#8c1d15; border:1px solid #e59a93; {NOTICE}"


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, staff: Staff) -> None:
        super().__init__()
        self.desk = desk
        # Server holds for waitlist offers' tables, when this desk syncs and takes holds.
        self.offer_holds = desk.sync.offer_holds if desk.sync is not None else None
        desk.hold_as(lambda: self.state.staff)
        self.queries = CachedQueries(desk.queries)
        bundle = self.queries.venue()
        day, at = present(bundle.venue, desk.clock())
        self.state = DeskState(bundle.venue, day, at, staff)
        self.ops = Operations(Worker("database"), Worker("network"), self)
        self.commands = Commands(desk, self.state, self.ops)
        # A desk with no server says so; working alone is not a fault to worry about.
        self.monitor = (
            desk.sync.monitor
            if desk.sync is not None
            else SyncMonitor(
                SyncStatus(
                    SyncState.STANDALONE,
                    detail="This desk works on its own: every change is kept in its file. "
                    "Connect it to the venue's server to share the night with other desks.",
                )
            )
        )
        self.setWindowTitle(f"Backroom — {bundle.venue.name}")
        self._build()
        self.backups = BackupController(
            desk.backups, self.ops.db, self, lambda text, ok: self.show_notice(text, ok=ok)
        )
        self._menus()
        self._wire()
        self._apply_role()
        self._hold_offers()

    # Layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.top = TopBar(self.state, self.desk.clock)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.floor = FloorPanel(self.queries, self.commands, self.state)
        self.timeline = TimelinePanel(self.queries, self.commands, self.state)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.floor, "Floor plan")
        self.tabs.addTab(self.timeline, "Timeline")
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        self.undo_cancel = UndoCancelOffer(
            self.commands,
            self.notice,
            lambda text, ok: self.show_notice(text, ok=ok, keep=True),
            self,
        )
        notice_bar = QHBoxLayout()
        notice_bar.addWidget(self.notice, 1)
        notice_bar.addWidget(self.undo_cancel.button)
        column.addLayout(notice_bar)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        bar = QToolBar("Night, time and sync")
        bar.setObjectName("topBar")
        bar.setMovable(False)
        bar.addWidget(self.top)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.bookings = BookingsList(self.queries, self.commands, self.state)
        for opened in (self.floor.scene.booking_opened, self.timeline.scene.booking_opened):
            opened.connect(self.bookings.edit)
        self.waitlist = WaitlistPanel(self.queries, self.commands, self.state)
        self.conflicts = ConflictsInbox(self.state.venue, self.state.may)
        self.bookings_dock = self._dock(
            "Bookings", self.bookings, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.waitlist_dock = self._dock(
            "Waitlist", self.waitlist, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.conflicts_dock = self._dock(
            "Conflicts", self.conflicts, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.tabifyDockWidget(self.waitlist_dock, self.conflicts_dock)
        self.waitlist_dock.raise_()
        self.conflicts.count_changed.connect(self._title_inbox)
        self._refresh_inbox()
        self.form = BookingForm(
            self.queries,
            self.commands,
            self.state,
            self,
            self.desk.sync.form_hold() if self.desk.sync is not None else None,
        )
        self._notice_timer = QTimer(self, singleShot=True, interval=12_000)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.resize(1440, 860)
        # The bookings list has seven columns to the waitlist's five: at 440 its guest
        # names had about 80 pixels (tests/ui/test_on_a_laptop_screen.py).
        self.resizeDocks(
            [self.bookings_dock, self.waitlist_dock], [480, 320], Qt.Orientation.Horizontal
        )

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _menus(self) -> None:
        bar = self.menuBar()
        desk = bar.addMenu("&Desk")
        self.act_sign_out = self._action(desk, "Sign out", "Ctrl+Shift+Q", self.sign_out)
        self._action(desk, "Change my PIN…", "", self.change_pin)
        self.act_staff = self._action(desk, "Staff…", "", self.manage_staff, Action.MANAGE_STAFF)
        self.act_prices = self._action(
            desk, "Deposits and packages…", "", self.set_prices, Action.SET_PRICES
        )
        if self.desk.sync is None:  # a connected desk has nothing to connect
            self._action(
                desk, "Connect to a server…", "", self.connect_to_server, Action.REGISTER_DESK
            )
        else:
            self.act_repair = self._action(
                desk, "Put this desk right…", "", self.put_right, Action.REGISTER_DESK
            )
            self._action(
                desk, "Bookings the server lost…", "", self.lost_bookings, Action.CREATE_BOOKING
            )
        self.act_data_request = self._action(
            desk,
            "A guest's data request…",
            "",
            self.guest_data_request,
            Action.ANSWER_DATA_REQUEST,
        )
        desk.addSeparator()
        self._action(desk, "Back up now", "Ctrl+Shift+B", self.backups.now)
        self.act_restore = self._action(
            desk, "Restore from a backup…", "", self.backups.choose, Action.RESTORE_BACKUP
        )
        desk.addSeparator()
        self._action(desk, "Quit", QKeySequence.StandardKey.Quit, self.close)

        booking = bar.addMenu("&Booking")
        self.act_new = self._action(
            booking,
            "New booking…",
            QKeySequence.StandardKey.New,
            self.new_booking,
            Action.CREATE_BOOKING,
        )
        booking.addSeparator()
        for qaction in self.bookings.actions_by_name.values():
            booking.addAction(qaction)
        booking.addAction(self.undo_cancel.action)
        self.addAction(self.undo_cancel.action)
        self._action(booking, "Find booking", QKeySequence.StandardKey.Find, self._find)

        waitlist = bar.addMenu("&Waitlist")
        waitlist.addAction(self.waitlist.act_promote)
        waitlist.addAction(self.waitlist.act_remove)
        waitlist.addSeparator()
        self._action(
            waitlist, "Re-arrange the night…", "Ctrl+R", self.reoptimise, Action.REOPTIMISE
        )

        floor = bar.addMenu("&Floor")
        self.act_edit = self._action(
            floor, "Edit floor plan", "Ctrl+Shift+E", self._toggle_edit, Action.EDIT_FLOOR_PLAN
        )
        self.act_edit.setCheckable(True)
        floor.addSeparator()
        for qaction in self.floor.edit_actions:
            floor.addAction(qaction)

        view = bar.addMenu("&View")
        self._action(view, "Floor plan", "Ctrl+1", lambda: self.tabs.setCurrentIndex(0))
        self._action(view, "Timeline", "Ctrl+2", lambda: self.tabs.setCurrentIndex(1))
        self._action(view, "Waitlist", "Ctrl+3", self._show_waitlist)
        self._action(view, "Conflicts inbox", "Ctrl+4", self._show_conflicts)
        view.addSeparator()
        self._action(view, "Show now", "Ctrl+0", self.top.show_now)
        self._action(view, "15 minutes earlier", "Ctrl+[", lambda: self.top.shift(-1))
        self._action(view, "15 minutes later", "Ctrl+]", lambda: self.top.shift(1))

        review = bar.addMenu("&Review")
        self.review = ReviewActions(self.desk, self.state, self)
        self._action(
            review, "Night review…", "Ctrl+5", self.review.open_review, Action.VIEW_REPORTS
        )
        self._action(
            review,
            "History of the selected booking…",
            "Ctrl+Shift+H",
            lambda: self.review.history(self.bookings.selected_id()),
            Action.VIEW_REPORTS,
        )
        self._action(review, "Verify audit log", "", self.review.verify_audit, Action.VIEW_REPORTS)
        QTimer.singleShot(WARM_UP_MS, self, self.review.warm_up)

        help_ = bar.addMenu("&Help")
        self._action(help_, "Keyboard shortcuts", "F1", self._shortcuts)

    def _action(
        self, menu: object, text: str, key: object, run: object, needs: Action | None = None
    ) -> QAction:
        qaction = QAction(text, self)
        qaction.setShortcut(QKeySequence(key))  # type: ignore[arg-type]
        qaction.triggered.connect(run)  # type: ignore[arg-type]
        if needs is not None:
            qaction.setData(needs)
        menu.addAction(qaction)  # type: ignore[attr-defined]
        self.addAction(qaction)
        return qaction

    def tick(self) -> None:
        """Time goes by: a live floor follows it (and rolls on to the next night at the
        service day's turn), and what counts from the present is shown again."""
        if self.state.live:
            self.top.show_now(moving_on=True)
        self.state.tick(self.desk.clock())

    def reoptimise(self) -> None:
        """Show the manager the engine's plan for the night; apply it only on their word.

        The plan is worked out on the database worker (up to a second on a busy
        night), so the floor stays live meanwhile.
        """
        staff, day = self.state.staff, self.state.day
        if staff is None:
            return
        self.statusBar().showMessage("Working out the best plan for the night…")
        self.ops.db.submit(
            lambda: self.desk.night_plan.propose(staff, day),
            self._show_night_plan,
            lambda error: self.show_notice(str(error), ok=False),
        )

    def _show_night_plan(self, planned: PlannedNight) -> None:
        self.statusBar().clearMessage()
        dialog = NightPlanDialog(planned, self)
        self.night_plan_dialog = dialog
        if dialog.exec() == NightPlanDialog.DialogCode.Accepted:
            self.commands.apply_night_plan(planned)

    def _wire(self) -> None:
        self.minute_timer = QTimer(self, interval=TICK_MS)
        self.minute_timer.timeout.connect(self.tick)
        self.minute_timer.start()
        self.message_actions = MessageActions(
            self.desk.messages, self.commands, self.state, self.top.messages, self
        )
        self.money_actions = MoneyActions(
            self.desk.money,
            self.state,
            self.top.money,
            lambda read, show: self.ops.db.submit(read, show),
            lambda text: self.show_notice(text, ok=True),
            self,
        )
        self.bookings.messages_requested.connect(self.message_actions.open_booking)
        self.review.open_messages = self.message_actions.open_booking
        self.ops.changed.connect(self.on_changed)
        self.ops.succeeded.connect(lambda text: self.show_notice(text, ok=True))
        self.ops.refused.connect(lambda text: self.show_notice(text, ok=False))
        self.top.sign_out.clicked.connect(self.sign_out)
        self.top.badge.open_conflicts_requested.connect(self._show_conflicts)
        self.top.badge.notice.connect(lambda text, ok: self.show_notice(text, ok=ok))
        self.bridge = SyncBridge(self.monitor, self)
        self.bridge.status_changed.connect(self.top.badge.show_status)
        # The bridge heard the current status before anything was connected to it.
        self.top.badge.show_status(self.monitor.status)
        self.bridge.status_changed.connect(lambda _status: self._refresh_inbox())
        if self.desk.sync is not None:
            # Only a desk the server stopped (restored from a backup) has something to do.
            self.bridge.status_changed.connect(
                lambda status: self.act_repair.setEnabled(status.cure is not None)
            )
            self.act_repair.setEnabled(self.monitor.status.cure is not None)
            # Once up to date after a repair, staff are told what only the kept copy holds.
            self._lost_told = not self.desk.lost.kept()
            self.bridge.status_changed.connect(self._tell_lost)
            self._tell_lost(self.monitor.status)
        # Rows pulled from the server (another desk's booking, a deposit paid online) are
        # in the file but not yet on screen: read every booking-shaped view again.
        self._pulled = self.monitor.status.pulled
        self._venue_pulled = self.monitor.status.venue_pulled
        self.bridge.status_changed.connect(self._follow_pulls)
        self.conflicts.resolution_chosen.connect(self._resolve_conflict)
        self.conflicts.acknowledge_requested.connect(self._acknowledge)
        self.conflicts.acknowledge_elsewhere_requested.connect(
            lambda ids: self.commands.acknowledge_elsewhere(ids, lambda _: self._refresh_inbox())
        )
        self.refusal_actions = RefusalActions(
            self.conflicts, self.commands, self.desk.queries, self.state, self, self._refresh_inbox
        )
        sync = self.desk.sync
        if sync is not None:
            # A saved change goes to the server at once rather than at the next poll.
            self.ops.changed.connect(lambda _change: sync.nudge())
        self.state.staff_changed.connect(lambda _: self._apply_role())
        self.floor.edit_mode_changed.connect(self.act_edit.setChecked)
        self.floor.edit_mode_changed.connect(self.undo_cancel.yield_shortcut)

    # Behaviour ------------------------------------------------------------------------

    def on_changed(self, change: Change) -> None:
        self.queries.invalidate(change)
        for panel in (self.floor, self.timeline, self.bookings, self.waitlist):
            panel.on_changed(change)
        self.message_actions.on_changed(change)
        self.money_actions.on_changed(change)
        if change & (Change.WAITLIST | Change.OCCUPANCY):
            self._hold_offers()

    def _follow_pulls(self, status: SyncStatus) -> None:
        if status.pulled != self._pulled:
            self._pulled = status.pulled
            # Another desk's floor edit or new prices: the plan and the form read again.
            venue = status.venue_pulled != self._venue_pulled
            self._venue_pulled = status.venue_pulled
            rules = Change.FLOOR_PLAN | Change.VENUE if venue else Change.NONE
            self.on_changed(Change.booking() | rules)

    def _hold_offers(self) -> None:
        """Keep server holds on the tables of tonight's open waitlist offers."""
        if self.offer_holds is None:
            return
        night = self.state.venue.current_night(self.desk.clock())
        wanted = self.desk.offers.holds_wanted(night)
        keeper = self.offer_holds
        self.ops.net.submit(lambda: keeper.reconcile(wanted))

    def _refresh_inbox(self) -> None:
        """Conflicts and refusals come with sync: every status published may change them."""
        self.conflicts.show_conflicts(self.desk.conflicts.open())
        self.conflicts.show_refusals(self.desk.refusals.unacknowledged())
        self.conflicts.show_elsewhere(self.desk.refusals.elsewhere())

    def _title_inbox(self, _count: int) -> None:
        self.conflicts_dock.setWindowTitle(self.conflicts.title())

    def _resolve_conflict(self, conflict_id: str, words: str) -> None:
        self.commands.resolve_conflict(conflict_id, RESOLUTIONS[words])

    def _acknowledge(self, device_seqs: tuple[int, ...]) -> None:
        self.commands.acknowledge_refusals(device_seqs, lambda _done: self._refresh_inbox())

    def show_notice(self, text: str, *, ok: bool, keep: bool = False) -> None:
        """``keep``: stays until replaced (the undo offer ends it), not for 12 seconds."""
        self.notice.setText(("✓ " if ok else "✕ ") + text)
        self.notice.setStyleSheet(OK_STYLE if ok else NO_STYLE)
        self.notice.show()
        self.statusBar().showMessage(text, 12_000)
        self.undo_cancel.notice_replaced(text)
        if keep:
            self._notice_timer.stop()
        else:
            self._notice_timer.start()

    def _apply_role(self) -> None:
        """What a role may not do is not offered: its actions are hidden."""
        for qaction in self.actions():
            needs = qaction.data()
            if needs in ACTIONS:
                qaction.setVisible(self.state.may(Action(needs)))
        self.floor.walk_in.setVisible(self.state.may(Action.WALK_IN))
        for qaction in self.floor.edit_actions:
            qaction.setVisible(self.state.may(Action.EDIT_FLOOR_PLAN))
        if not self.state.may(Action.EDIT_FLOOR_PLAN):
            self.floor.set_edit_mode(False)

    def new_booking(self) -> None:
        self.form.reset()
        self.form.show()
        self.form.raise_()

    def _toggle_edit(self, on: bool) -> None:
        if not self.floor.set_edit_mode(on):
            self.act_edit.setChecked(False)
            self.show_notice("Only a manager can edit the floor plan.", ok=False)
            return
        self.tabs.setCurrentIndex(0)

    def _find(self) -> None:
        self.bookings_dock.raise_()
        self.bookings.search.setFocus()
        self.bookings.search.selectAll()

    def _show_waitlist(self) -> None:
        self.waitlist_dock.raise_()

    def _show_conflicts(self) -> None:
        """The badge clicked: a desk the server stopped is put right first."""
        if self.monitor.status.cure is not None:
            self.put_right()
            return
        self.conflicts_dock.raise_()

    def sign_out(self) -> None:
        self.floor.set_edit_mode(False)
        self.state.set_staff(None)
        self.hide()
        dialog = SignInDialog(
            self.desk.auth, self.state.venue.name, demo_hint=demo_pins_hint(self.desk.store)
        )
        if dialog.exec() and dialog.staff is not None:
            self.state.set_staff(dialog.staff)
            self.show()
        else:
            self.close()

    def change_pin(self) -> None:
        staff = self.state.staff
        if staff is None:
            return
        self.pin_dialog = ChangePinDialog(self.desk.staff_admin, staff, self)
        self.pin_dialog.accepted.connect(lambda: self.show_notice(self.pin_dialog.message, ok=True))
        self.pin_dialog.open()

    def manage_staff(self) -> None:
        staff = self.state.staff
        if staff is None or not staff.may(Action.MANAGE_STAFF):
            return
        self.staff_dialog = StaffDialog(self.desk.staff_admin, staff, self)
        self.staff_dialog.open()

    def set_prices(self) -> None:
        staff = self.state.staff
        if staff is None or not staff.may(Action.SET_PRICES):
            return
        prices = self.desk.prices
        self.prices_dialog = PricesDialog(prices.in_force(), prices.whose(), self.commands, self)
        self.prices_dialog.accepted.connect(
            lambda: self.show_notice(self.prices_dialog.message, ok=True)
        )
        self.prices_dialog.open()

    def guest_data_request(self) -> None:
        staff = self.state.staff
        if staff is None or not staff.may(Action.ANSWER_DATA_REQUEST):
            return
        self.data_request_dialog = GuestRequestDialog(
            self.desk.data_requests, staff, self.ops.net, self
        )
        self.data_request_dialog.open()

    def connect_to_server(self) -> None:
        """Desk → Connect to a server…; once connected the window closes and the desk reopens."""
        staff = self.state.staff
        if staff is None or not staff.may(Action.REGISTER_DESK) or self.desk.sync is not None:
            return
        self.connect_dialog = ConnectDialog(self.desk, self.ops.db, self)
        self.connect_dialog.open()

    def put_right(self) -> None:
        """Desk → Put this desk right…; once done the window closes and the desk reopens."""
        staff = self.state.staff
        if staff is None or self.desk.repair is None:
            return
        self.repair_dialog = RepairDialog(self.desk.repair, staff, self.ops.db, self)
        self.repair_dialog.open()

    def _tell_lost(self, status: SyncStatus) -> None:
        if self._lost_told or status.state is not SyncState.UP_TO_DATE:
            return
        self._lost_told = True
        self.ops.db.submit(
            self.desk.lost.reminder,
            lambda said: said and self.show_notice(said, ok=False, keep=True),
        )

    def lost_bookings(self) -> None:
        """Desk → Bookings the server lost…: enter again what only a kept copy holds."""
        staff = self.state.staff
        if staff is None:
            return
        self.lost_dialog = LostBookingsDialog(
            self.desk.lost, self.desk.as_kept, staff, self.ops, self
        )
        self.lost_dialog.open()

    def _shortcuts(self) -> None:
        lines = [
            f"{a.text().replace('&', '')}: {a.shortcut().toString()}"
            for a in self.actions()
            if not a.shortcut().isEmpty() and a.isVisible()
        ]
        QMessageBox.information(self, "Keyboard shortcuts", "\n".join(sorted(lines)))

    def closeEvent(self, event: QCloseEvent) -> None:
        """QWidget::closeEvent: let queued writes finish before the threads stop."""
        self.bridge.close()
        self.ops.stop()
        self.backups.on_close()
        super().closeEvent(event)
