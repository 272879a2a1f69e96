"""What a sync step did to this desk's staff reaches the window once, in the notice bar."""

import threading

from app.sync.status import SyncNotice, SyncState, SyncStatus

MATCHED = (
    "Matched this desk's 'sam' (Sam Reid) to the server's 'sam' (Sam Reid). "
    "They keep their PIN on this desk."
)


def test_a_staff_match_is_shown_once_in_the_window_and_a_warning_as_a_warning(
    qtbot, manager, make_window
):
    window = make_window(manager)
    told: list[tuple[str, bool]] = []
    window.top.badge.notice.connect(lambda text, ok: told.append((text, ok)))
    matched = SyncStatus(SyncState.UP_TO_DATE, notices=(SyncNotice(MATCHED),))
    warned = SyncStatus(
        SyncState.UP_TO_DATE,
        notices=(SyncNotice("No manager or admin can sign in at this desk.", warning=True),),
    )

    with qtbot.waitSignal(window.top.badge.notice):
        threading.Thread(target=window.monitor.publish, args=(matched,)).start()
    shown = window.notice.text()
    window.top.badge.show_status(matched)  # the same status again tells nothing new
    with qtbot.waitSignal(window.top.badge.notice):
        threading.Thread(target=window.monitor.publish, args=(warned,)).start()

    assert shown == "✓ " + MATCHED
    assert told == [(MATCHED, True), ("No manager or admin can sign in at this desk.", False)]
    assert window.notice.text().startswith("✕ No manager")
