"""The pinned Qt binding must not leak references to None.

PySide6 6.12.0 on Python 3.11 returned None from void Qt calls without a
reference, so a busy desk aborted with "none_dealloc" after minutes of use.
This guards the pin in pyproject.toml against a bump back to such a build.
"""

import sys

from PySide6.QtCore import QObject


def test_calling_qt_methods_that_return_nothing_keeps_none_alive(qapp):
    probe = QObject()
    before = sys.getrefcount(None)

    for _ in range(10_000):
        probe.setObjectName("probe")

    assert sys.getrefcount(None) >= before - 100
