import threading
from datetime import UTC, datetime, timedelta

from app.services.booking_create import NewBooking
from app.sync.status import SyncMonitor, SyncState, SyncStatus
from app.views.sync_badge import SyncBadge, SyncBridge
from tests.ui.conftest import tonight_at


def leeds_badge(desk) -> SyncBadge:
    return SyncBadge(desk.queries.venue().venue.show_time)


def test_the_badge_follows_sync_through_offline_syncing_up_to_date_and_conflict(qtbot, desk):
    monitor = SyncMonitor()
    badge = leeds_badge(desk)
    qtbot.addWidget(badge)
    bridge = SyncBridge(monitor)
    bridge.status_changed.connect(badge.show_status)
    seen = [badge.text()]

    for status in (
        SyncStatus(SyncState.OFFLINE, pending=3),
        SyncStatus(SyncState.SYNCING, pending=3),
        SyncStatus(SyncState.UP_TO_DATE),
        SyncStatus(SyncState.NEEDS_ATTENTION, open_conflicts=2),
        SyncStatus(SyncState.UPDATE_REQUIRED, pending=1),
    ):
        # The sync engine publishes from its own thread; the badge updates on the GUI's.
        with qtbot.waitSignal(bridge.status_changed):
            threading.Thread(target=monitor.publish, args=(status,)).start()
        seen.append(badge.text())

    assert seen == [
        "↻ Connecting",
        "⊘ Offline · 3 pending",
        "⇅ Syncing · 3 pending",
        "✓ Up to date",
        "⚠ 2 conflicts",
        "⬆ Update required · 1 pending",
    ]


def test_a_desk_with_no_server_says_standalone_and_counts_nothing_as_pending(
    qtbot, desk, manager, make_window
):
    window = make_window(manager)
    assert window.top.badge.text() == "▣ Standalone (not connected)"

    with qtbot.waitSignal(window.ops.changed):
        window.commands.add_to_waitlist(
            NewBooking(
                name="Queue Quinn", phone="0113 496 0123", party_size=2, start=tonight_at(desk, 21)
            )
        )

    assert window.top.badge.text() == "▣ Standalone (not connected)"
    assert "pending" not in window.top.badge.toolTip()
    assert "works on its own" in window.top.badge.toolTip()


def test_a_listener_can_unsubscribe():
    monitor = SyncMonitor()
    heard = []
    unsubscribe = monitor.subscribe(heard.append)

    unsubscribe()
    monitor.publish(SyncStatus(SyncState.SYNCING))

    assert heard == [SyncStatus()]


def test_a_desk_with_no_server_shows_no_refusals_and_acknowledging_leaves_it_standalone(
    qtbot, manager, make_window
):
    window = make_window(manager)

    with qtbot.waitSignal(window.ops.changed):
        window.commands.acknowledge_refusals([])

    assert window.top.badge.text() == "▣ Standalone (not connected)"
    assert window.conflicts.refusal_cards == [] and window.conflicts.refused.isHidden()
    assert window.conflicts_dock.windowTitle() == "Conflicts"


def test_the_badge_counts_conflicts_and_refusals_and_names_other_trouble_plainly(qtbot, desk):
    badge = leeds_badge(desk)
    qtbot.addWidget(badge)
    seen = []

    for status in (
        SyncStatus(SyncState.NEEDS_ATTENTION, open_conflicts=1, refusals=2),
        SyncStatus(SyncState.NEEDS_ATTENTION, refusals=1, pending=1),
        SyncStatus(SyncState.NEEDS_ATTENTION, detail="The server answered with error 500."),
    ):
        badge.show_status(status)
        seen.append(badge.text())

    assert seen == [
        "⚠ 1 conflict · 2 refused changes",
        "⚠ 1 refused change · 1 pending",
        "⚠ Needs attention",
    ]


def test_the_badge_warns_when_this_desks_clock_is_more_than_two_minutes_out(qtbot, desk):
    badge = leeds_badge(desk)
    qtbot.addWidget(badge)
    shown = []

    for offset in (timedelta(seconds=90), timedelta(minutes=7), -timedelta(days=800)):
        badge.show_status(SyncStatus(SyncState.UP_TO_DATE, clock_offset=offset))
        shown.append((badge.text(), badge.toolTip()))

    assert shown[0][0] == "✓ Up to date" and "clock" not in shown[0][1]
    assert shown[1][0] == "⚠ clock slow"
    assert "This desk's clock is 7 minutes slow" in shown[1][1]
    assert shown[2][0] == "⚠ clock fast"
    assert "This desk's clock is 2 years fast" in shown[2][1]


def test_the_last_sync_is_told_in_leeds_time_in_summer_not_in_utc(qtbot, desk):
    badge = leeds_badge(desk)
    qtbot.addWidget(badge)

    synced = datetime(2027, 7, 10, 19, 5, tzinfo=UTC)  # 20:05 in Leeds (BST)
    badge.show_status(SyncStatus(SyncState.UP_TO_DATE, last_synced=synced))

    assert "Last synced 20:05." in badge.toolTip()
