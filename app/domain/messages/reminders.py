"""When a booking's reminders are due: by default 24 hours and 3 hours before it.

A reminder whose time has already passed when the booking is made (or moved) is not
sent late: a booking made at 19:00 for 21:00 gets neither. The cause names what a
reminder tells the guest of their booking (``said``: its start and its party size), so
moving or resizing a booking schedules new reminders instead of being taken for the old
ones (a table for 6 is never reminded as a table for 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.errors import InvalidInput
from app.domain.venue import DEFAULT_REMINDER_HOURS, to_utc

DEFAULT_HOURS = DEFAULT_REMINDER_HOURS
MAX_HOURS = 14 * 24


@dataclass(frozen=True, slots=True)
class Reminder:
    cause: str
    due_at: datetime


def check_hours(hours: object) -> tuple[int, ...]:
    """A venue's reminder setting: whole hours before the booking, 1 h to 14 days."""
    if not isinstance(hours, list | tuple) or not all(
        isinstance(h, int) and not isinstance(h, bool) for h in hours
    ):
        raise InvalidInput("reminder_hours", "Reminders are whole hours before the booking.")
    if any(not 1 <= h <= MAX_HOURS for h in hours):
        raise InvalidInput(
            "reminder_hours", "A reminder goes between 1 hour and 14 days before the booking."
        )
    return tuple(sorted(set(hours), reverse=True))


def said(start: datetime, party_size: int) -> str:
    """What a reminder tells the guest of their booking, as its cause names it. A change
    to it is what reschedules a booking's reminders (causes.reminders_after), so a fact
    added to the reminder's text is added here, once, for both."""
    return f"{to_utc(start):%Y%m%dT%H%MZ}:party-{party_size}"


def reminders(
    booking_id: str,
    start: datetime,
    party_size: int,
    now: datetime,
    hours: tuple[int, ...] = DEFAULT_HOURS,
) -> list[Reminder]:
    start, now = to_utc(start), to_utc(now)
    says = said(start, party_size)
    return [
        Reminder(f"reminder-{h}h:{booking_id}:{says}", start - timedelta(hours=h))
        for h in sorted(hours, reverse=True)
        if start - timedelta(hours=h) > now
    ]
