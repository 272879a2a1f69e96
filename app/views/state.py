"""What the desk is looking at: the service day, the time shown, who is signed in, and
the party in hand (the booking last picked in any panel).

The floor is *live* while it shows now: the window's minute timer keeps it at the
present, as a busy desk expects (a table turns overdue on its own). Picking another
time or night stops that until staff press Now again. ``ticked`` is the present
itself, for what counts from it whatever the floor shows (minutes waited, offers'
minutes left, whether a party's time has come)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QObject, Signal

from app.domain.permissions import Action, Staff
from app.domain.venue import Venue


def present(venue: Venue, now: datetime) -> tuple[date, datetime]:
    """The night in progress (or the next) and the time to show it at: now, to the minute
    (the floor's states change on the minute), kept within the night's opening hours."""
    minute = now.replace(second=0, microsecond=0)
    day = venue.current_night(minute)
    opens, closes = venue.opening_window(day) or venue.service_window(day)
    return day, min(max(minute, opens), closes)


class DeskState(QObject):
    day_changed = Signal(object)
    time_changed = Signal(object)
    ticked = Signal(object)
    selection_changed = Signal(object)
    staff_changed = Signal(object)

    def __init__(self, venue: Venue, day: date, at: datetime, staff: Staff | None = None) -> None:
        super().__init__()
        self.venue = venue
        self._day = day
        self._at = at
        self._live = True
        # True while the minute timer moves a live floor on (not staff picking a time).
        self.moving_on = False
        self._selected: str | None = None
        self._staff = staff

    @property
    def day(self) -> date:
        return self._day

    @property
    def at(self) -> datetime:
        return self._at

    @property
    def live(self) -> bool:
        """Whether the floor follows the present (until staff pick another time)."""
        return self._live

    @property
    def selected_booking(self) -> str | None:
        return self._selected

    @property
    def staff(self) -> Staff | None:
        return self._staff

    def may(self, action: Action) -> bool:
        return self._staff is not None and self._staff.may(action)

    def set_day(self, day: date) -> None:
        if day == self._day:
            return
        self._day, self._live = day, False
        window = self.venue.opening_window(day) or self.venue.service_window(day)
        self._at = window[0] + timedelta(hours=3)
        self.day_changed.emit(day)
        self.time_changed.emit(self._at)

    def set_time(self, at: datetime, *, live: bool = False, moving_on: bool = False) -> None:
        if at != self._at or live != self._live:
            self._at, self._live, self.moving_on = at, live, moving_on
            try:
                self.time_changed.emit(at)
            finally:
                self.moving_on = False

    def tick(self, now: datetime) -> None:
        """The present, once a minute or so."""
        self.ticked.emit(now)

    def select(self, booking_id: str | None) -> None:
        if booking_id != self._selected:
            self._selected = booking_id
            self.selection_changed.emit(booking_id)

    def set_staff(self, staff: Staff | None) -> None:
        self._staff = staff
        self.staff_changed.emit(staff)

    def night_window(self) -> tuple[datetime, datetime]:
        """Opening to closing of the shown day (the whole service day when closed)."""
        return self.venue.opening_window(self._day) or self.venue.service_window(self._day)
