"""The sync badge: offline / syncing / up to date, what is pending and what needs a person.

``SyncBridge`` adapts the Qt-free ``SyncMonitor`` to a Qt signal: the monitor may
publish from the network thread, and the queued signal brings it to the GUI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.domain.clock_drift import clock_drift
from app.sync.status import SyncMonitor, SyncState, SyncStatus

LOOK: dict[SyncState, tuple[str, str, str]] = {
    # state: (glyph, words, colours)
    SyncState.STANDALONE: (
        "▣",
        "Standalone (not connected)",
        "background:#eef1f5; color:#34495e; border:1px solid #b8c2cc;",
    ),
    SyncState.OFFLINE: ("⊘", "Offline", "background:#eeeeee; color:#444; border:1px solid #bbb;"),
    SyncState.CONNECTING: (
        "↻",
        "Connecting",
        "background:#fff6d8; color:#6b5200; border:1px solid #e0c060;",
    ),
    SyncState.SYNCING: (
        "⇅",
        "Syncing",
        "background:#e2ecfb; color:#1f4aa0; border:1px solid #8fb0e6;",
    ),
    SyncState.UP_TO_DATE: (
        "✓",
        "Up to date",
        "background:#e3f3e6; color:#1d6b34; border:1px solid #93c9a1;",
    ),
    SyncState.NEEDS_ATTENTION: (
        "⚠",
        "Needs attention",
        "background:#fbe0ee; color:#8d1a5f; border:1px solid #de8fbd;",
    ),
    SyncState.UPDATE_REQUIRED: (
        "⬆",
        "Update required",
        "background:#fde3e0; color:#a01f16; border:1px solid #e59a93;",
    ),
}


BADGE = "QLabel {{ {} border-radius: 9px; padding: 2px 10px; font-weight: 600; }}"


class SyncBridge(QObject):
    status_changed = Signal(object)

    def __init__(self, monitor: SyncMonitor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self._unsubscribe = monitor.subscribe(self.status_changed.emit)

    def close(self) -> None:
        self._unsubscribe()


class SyncBadge(QLabel):
    open_conflicts_requested = Signal()
    # What a sync step did that staff are told once (text, ok): "Matched this desk's 'sam' …".
    notice = Signal(str, bool)

    def __init__(self, show_time: Callable[[datetime], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The venue's clock: a sync's instant is kept in UTC, which is not Leeds's in summer.
        self.show_time = show_time
        self.status = SyncStatus()
        self.setAccessibleName("Sync status")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_status(SyncStatus())

    def words(self) -> str:
        s = self.status
        glyph, text, _ = LOOK[s.state]
        waiting = _waiting(s)
        if waiting:
            glyph, text = LOOK[SyncState.NEEDS_ATTENTION][0], " · ".join(waiting)
        parts = [f"{glyph} {text}"]
        # A desk on its own sends nothing anywhere: its changes are not "pending".
        if s.pending and s.state is not SyncState.STANDALONE:
            parts.append(f"{s.pending} pending")
        return " · ".join(parts)

    def show_status(self, status: SyncStatus) -> None:
        fresh = status.notices if status is not self.status else ()
        self.status = status
        state = (
            SyncState.NEEDS_ATTENTION
            if _waiting(status) and status.state is not SyncState.UPDATE_REQUIRED
            else status.state
        )
        self.setText(self.words())
        self.setStyleSheet(BADGE.format(LOOK[state][2]))
        tip = [f"Sync: {status.state.value}"]
        if status.pending and status.state is not SyncState.STANDALONE:
            tip.append(
                f"{status.pending} change(s) waiting to reach the server; the desk keeps working."
            )
        if status.refusals:
            tip.append(f"{status.refusals} change(s) refused by the server, not yet acknowledged.")
        if status.refused_elsewhere:
            tip.append(
                f"{status.refused_elsewhere} change(s) made at other desks refused by the server."
            )
        if status.open_conflicts or status.refusals or status.refused_elsewhere:
            tip.append("Click to open the conflicts inbox.")
        if status.last_synced:
            tip.append(f"Last synced {self.show_time(status.last_synced)}.")
        if status.detail:
            tip.append(status.detail)
        drift = clock_drift(status.clock_offset)
        if drift:
            tip.append(drift.message)
        tip.extend(n.text for n in status.notices)
        self.setToolTip("\n".join(tip))
        if fresh:
            ok = not any(n.warning for n in fresh)
            self.notice.emit(" ".join(n.text for n in fresh), ok)

    def mousePressEvent(self, event: object) -> None:
        """QWidget::mousePressEvent: a click opens the conflicts inbox."""
        self.open_conflicts_requested.emit()


def _waiting(status: SyncStatus) -> list[str]:
    """What waits for a person, in the badge's words: "2 conflicts", "1 refused"."""
    waiting = []
    if status.open_conflicts:
        n = status.open_conflicts
        waiting.append(f"{n} conflict{'s' if n != 1 else ''}")
    if status.refusals:
        n = status.refusals
        waiting.append(f"{n} refused change{'s' if n != 1 else ''}")
    if status.refused_elsewhere:
        waiting.append(f"{status.refused_elsewhere} refused at other desks")
    drift = clock_drift(status.clock_offset)
    if drift:
        waiting.append(f"clock {drift.way}")
    return waiting
