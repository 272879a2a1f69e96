"""A guard against a PySide6 6.12.0 reference-count bug on Python 3.11.

In that release every call of a Qt method that returns nothing (``label.setText``,
``item.setPos``) gives back ``None`` without taking a reference, so each such
call used as a statement lowers ``None``'s count by one. Python 3.11's ``None``
is not immortal: after some tens of thousands of calls (minutes of a busy
night) the count reaches zero and the interpreter aborts ("none_dealloc").
PySide6 6.11.3 and Python 3.12+ are not affected.

When the leak is detected at start, a timer keeps ``None``'s count high by
holding references in a list: the crash becomes a leak of 8 bytes per call.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

# Top up when the count falls below this, back to FLOOR + TOP_UP.
FLOOR = 200_000
TOP_UP = 1_000_000
CHECK_MS = 2_000


def leaks_none() -> bool:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


class NoneGuard(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ballast: list[list[None]] = []
        self.top_up()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.top_up)
        self._timer.start()

    def top_up(self) -> None:
        if sys.getrefcount(None) < FLOOR:
            ballast = [None] * TOP_UP
            # Never freed, not even at exit: freeing it would take None's count below zero.
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(ballast))
            self._ballast.append(ballast)


_guard: list[NoneGuard] = []


def install(parent: QObject) -> NoneGuard | None:
    """Guard the process (once) if this PySide6 build leaks ``None``; returns the guard."""
    if _guard:
        return _guard[0]
    if sys.version_info >= (3, 12) or not leaks_none():
        return None
    _guard.append(NoneGuard(parent))
    return _guard[0]
