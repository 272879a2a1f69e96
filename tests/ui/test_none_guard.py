import sys

from PySide6.QtWidgets import QApplication, QLabel

from app.views import none_guard


def test_the_guard_keeps_none_alive_through_many_void_qt_calls(qtbot):
    guard = none_guard.NoneGuard(QApplication.instance())
    label = QLabel()
    qtbot.addWidget(label)

    for i in range(20_000):
        label.setText(str(i))
    guard.top_up()

    assert sys.getrefcount(None) > none_guard.FLOOR
