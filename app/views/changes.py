"""What an operation changed, broadcast once so each panel refreshes only its part."""

from __future__ import annotations

from enum import Flag, auto


class Change(Flag):
    NONE = 0
    BOOKINGS = auto()
    WAITLIST = auto()
    # Which tables are taken when: the floor's colours and the timeline's bars.
    OCCUPANCY = auto()
    # The layout itself: tables added, moved, resized, retired.
    FLOOR_PLAN = auto()
    # The venue's other rules: its deposits and packages (the booking form's prices).
    VENUE = auto()
    SYNC = auto()

    @classmethod
    def booking(cls) -> Change:
        """A booking's status, time or tables moved: every booking-shaped view."""
        return cls.BOOKINGS | cls.WAITLIST | cls.OCCUPANCY | cls.SYNC
