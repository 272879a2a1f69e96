"""The venue: its time zone, opening hours and the service day that runs past midnight.

Instants are aware datetimes in UTC everywhere in the domain. Wall-clock times
only exist at the edges (forms, display), and this module is the one place that
converts between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.errors import InvalidInput

LONDON = "Europe/London"


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Hours of one service day; ``closes`` earlier than ``opens`` means after midnight."""

    opens: time
    closes: time

    def close_offset(self) -> timedelta:
        """How long after the service day's midnight the venue closes."""
        closes = timedelta(hours=self.closes.hour, minutes=self.closes.minute)
        if self.closes <= self.opens:
            closes += timedelta(days=1)
        return closes

    def open_offset(self) -> timedelta:
        return timedelta(hours=self.opens.hour, minutes=self.opens.minute)


@dataclass(frozen=True, slots=True)
class DurationRule:
    """Parties up to ``max_party`` get ``minutes`` by default."""

    max_party: int
    minutes: int


DEFAULT_REMINDER_HOURS: tuple[int, ...] = (24, 3)
DEFAULT_DURATIONS: tuple[DurationRule, ...] = (
    DurationRule(2, 90),
    DurationRule(4, 120),
    DurationRule(6, 150),
    DurationRule(1000, 180),
)


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    name: str
    timezone: str = LONDON
    # A booking that starts before this wall-clock time belongs to the previous
    # evening's service: 01:30 on Sunday is Saturday night.
    day_boundary: time = time(6, 0)
    # Weekday (Monday = 0) to hours; a missing weekday means closed.
    opening_hours: dict[int, OpeningHours] = field(default_factory=dict)
    durations: tuple[DurationRule, ...] = DEFAULT_DURATIONS
    slot_minutes: int = 15
    # How far ahead the venue takes bookings; a date further out is a typo (2027 for 2026).
    booking_horizon_days: int = 365
    # When guests are reminded of their booking: hours before it (app.domain.messages).
    reminder_hours: tuple[int, ...] = DEFAULT_REMINDER_HOURS

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def default_duration(self, party_size: int) -> int:
        for rule in sorted(self.durations, key=lambda r: r.max_party):
            if party_size <= rule.max_party:
                return rule.minutes
        return self.durations[-1].minutes

    def service_day(self, instant: datetime) -> date:
        """The evening an instant belongs to (a night crosses midnight)."""
        local = to_utc(instant).astimezone(self.tz)
        if local.time() < self.day_boundary:
            return local.date() - timedelta(days=1)
        return local.date()

    def current_night(self, now: datetime) -> date:
        """The night the desk should show: the one in progress, else the next one open."""
        day = self.service_day(now)
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            window = self.opening_window(candidate)
            if window is not None and now < window[1]:
                return candidate
        return day

    def service_window(self, day: date) -> tuple[datetime, datetime]:
        """UTC instants bounding the service day: boundary to next boundary."""
        start = self.local_instant(day, self.day_boundary)
        end = self.local_instant(day + timedelta(days=1), self.day_boundary)
        return start, end

    def hours_on(self, day: date) -> OpeningHours | None:
        return self.opening_hours.get(day.weekday())

    def opening_window(self, day: date) -> tuple[datetime, datetime] | None:
        """UTC instants of opening and closing on a service day, or None if closed."""
        hours = self.hours_on(day)
        if hours is None:
            return None
        opens = self._at_offset(day, hours.open_offset())
        closes = self._at_offset(day, hours.close_offset())
        return opens, closes

    def wall_time_on(self, day: date, wall: time, fold: int = 0) -> datetime:
        """The UTC instant of a wall-clock time on a service day's night.

        A time before the day boundary is after midnight, so on the next
        calendar date. ``fold=1`` picks the second 01:30 of the October night.
        """
        calendar_day = day + timedelta(days=1) if wall < self.day_boundary else day
        return self.local_instant(calendar_day, wall, fold)

    def local_instant(self, calendar_day: date, wall: time, fold: int = 0) -> datetime:
        local = datetime.combine(calendar_day, wall, tzinfo=self.tz).replace(fold=fold)
        return local.astimezone(UTC)

    def _at_offset(self, day: date, offset: timedelta) -> datetime:
        # Opening and closing are wall-clock times too, so a closing time on the
        # clock-change night stays "02:00 on the clock", not "N hours later".
        total = int(offset.total_seconds() // 60)
        extra_days, minutes = divmod(total, 24 * 60)
        wall = time(minutes // 60, minutes % 60)
        return self.local_instant(day + timedelta(days=extra_days), wall)

    def check_open(self, start: datetime, duration_minutes: int) -> None:
        """Refuse a booking outside the opening hours of its service day."""
        day = self.service_day(start)
        window = self.opening_window(day)
        if window is None:
            raise InvalidInput("start", f"{self.name} is closed on {day:%A %d %B}.")
        opens, closes = window
        end = to_utc(start) + timedelta(minutes=duration_minutes)
        if to_utc(start) < opens or end > closes:
            raise InvalidInput(
                "start",
                f"{self.name} is open {self.show_time(opens)}–{self.show_time(closes)} "
                f"on {day:%A %d %B}; this booking would run "
                f"{self.show_time(start)}–{self.show_time(end)}.",
            )

    def is_past(self, start: datetime, now: datetime) -> bool:
        """A start more than a slot ago: booking it now records the past."""
        return to_utc(start) < to_utc(now) - timedelta(minutes=self.slot_minutes)

    def check_bookable_when(
        self, start: datetime, now: datetime, *, past_allowed: bool = False
    ) -> None:
        """Refuse a booking made now for a time already gone or beyond the horizon.

        The slot in progress still counts as now (a guest on the phone for "nine"
        at 21:05); anything earlier is a past booking, which only a manager records.
        """
        if self.is_past(start, now) and not past_allowed:
            raise InvalidInput(
                "start",
                f"{self.show_day_time(start)} has passed (it is now "
                f"{self.show_day_time(now)}). Seat a party that is here as a walk-in; "
                "a manager can record a past booking.",
            )
        last = self.local(to_utc(now)).date() + timedelta(days=self.booking_horizon_days)
        day = self.service_day(start)
        if day > last:
            raise InvalidInput(
                "start",
                f"{self.name} takes bookings up to {last:%a} {last.day} {last:%b %Y}; "
                f"{day:%a} {day.day} {day:%b %Y} is further ahead. Check the date.",
            )

    def local(self, instant: datetime) -> datetime:
        return to_utc(instant).astimezone(self.tz)

    def show_time(self, instant: datetime) -> str:
        """``21:30``, or ``01:30 GMT`` when the wall time happens twice that night."""
        local = self.local(instant)
        text = local.strftime("%H:%M")
        if self.is_ambiguous(local):
            text += f" {local.tzname()}"
        return text

    def show_day_time(self, instant: datetime) -> str:
        """``Sat 5 Dec, 21:00``: the day a confirmation must state, the service day's
        (``Sat 5 Dec night, 00:30`` for a time after midnight that belongs to Saturday)."""
        day = self.service_day(instant)
        night = "" if self.local(instant).date() == day else " night"
        return f"{day:%a} {day.day} {day:%b}{night}, {self.show_time(instant)}"

    def is_ambiguous(self, local: datetime) -> bool:
        naive = local.replace(tzinfo=None)
        first = naive.replace(tzinfo=self.tz, fold=0).utcoffset()
        second = naive.replace(tzinfo=self.tz, fold=1).utcoffset()
        return first != second


def to_utc(instant: datetime) -> datetime:
    """Refuse naive datetimes: an instant without a zone is a bug, not a guess."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime: the domain only takes aware instants")
    return instant.astimezone(UTC)


def parse_local(venue: Venue, text: str) -> datetime:
    """Parse ``YYYY-MM-DD HH:MM`` typed at the desk as venue wall time."""
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise InvalidInput(
            "start", f"'{text}' is not a date and time like 2026-11-28 21:30."
        ) from None
    return naive.replace(tzinfo=venue.tz).astimezone(UTC)
