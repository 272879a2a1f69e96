"""Colours and the second cue (a glyph and a pattern) for every table state, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.booking import BookingStatus
from app.services.queries import TableState


@dataclass(frozen=True)
class StateLook:
    fill: QColor
    border: QColor
    # The cue that does not rely on colour: a glyph in the corner and a border style.
    glyph: str
    pen_style: Qt.PenStyle
    words: str


LOOKS: dict[TableState, StateLook] = {
    TableState.FREE: StateLook(
        QColor("#e7f3ea"), QColor("#4c8c5a"), "", Qt.PenStyle.SolidLine, "free"
    ),
    TableState.BOOKED_SOON: StateLook(
        QColor("#fff1c9"), QColor("#b7860b"), "◷", Qt.PenStyle.DashLine, "booked soon"
    ),
    TableState.RESERVED: StateLook(
        QColor("#dbe6fb"), QColor("#3d64b0"), "R", Qt.PenStyle.SolidLine, "reserved now"
    ),
    TableState.SEATED: StateLook(
        QColor("#c4d7f7"), QColor("#1f4aa0"), "●", Qt.PenStyle.SolidLine, "seated"
    ),
    TableState.OVERDUE: StateLook(
        QColor("#f8d0cc"), QColor("#b3261e"), "!", Qt.PenStyle.SolidLine, "overdue"
    ),
    TableState.HELD: StateLook(
        QColor("#e6e1ef"),
        QColor("#6a5a8c"),
        "◐",
        Qt.PenStyle.DotLine,
        "held (waitlist offer or another desk)",
    ),
    TableState.CONFLICT: StateLook(
        QColor("#f6c2e0"), QColor("#9c1d6b"), "⚠", Qt.PenStyle.DashDotLine, "in conflict"
    ),
}

# A deposit column holding money to give back (the no-show red: staff must act on it).
GIVE_BACK_TEXT = QColor("#b3261e")

STATUS_TEXT: dict[BookingStatus, QColor] = {
    BookingStatus.PENDING: QColor("#9a6b00"),
    BookingStatus.CONFIRMED: QColor("#2d5fb3"),
    BookingStatus.SEATED: QColor("#1d7a3a"),
    BookingStatus.COMPLETED: QColor("#777777"),
    BookingStatus.CANCELLED: QColor("#999999"),
    BookingStatus.NO_SHOW: QColor("#b3261e"),
    BookingStatus.WAITLISTED: QColor("#7a4fb3"),
    BookingStatus.CONFLICT: QColor("#9c1d6b"),
}

BAR_FILL: dict[BookingStatus, QColor] = {
    BookingStatus.PENDING: QColor("#ffe6a6"),
    BookingStatus.CONFIRMED: QColor("#bcd0f5"),
    BookingStatus.SEATED: QColor("#a7dcb6"),
    BookingStatus.COMPLETED: QColor("#dddddd"),
    BookingStatus.CONFLICT: QColor("#f6c2e0"),
}
