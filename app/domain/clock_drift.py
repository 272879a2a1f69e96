"""How far a desk's clock may be from the server's before staff are told.

A desk stamps bookings, holds and audit events with its own clock; the server
judges with its own. A couple of minutes either way is ordinary and harmless;
beyond that, times typed and times shown start to disagree with the other
desks, so the badge says so and says which way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

CLOCK_TOLERANCE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class ClockDrift:
    way: str  # "slow" or "fast"
    message: str


def clock_drift(offset: timedelta | None) -> ClockDrift | None:
    """``offset`` is the server's time minus this desk's; None when within tolerance."""
    if offset is None or abs(offset) <= CLOCK_TOLERANCE:
        return None
    way = "slow" if offset > timedelta(0) else "fast"
    return ClockDrift(
        way,
        f"This desk's clock is {_amount(abs(offset))} {way} compared with the server's; "
        "set the computer's date and time right (new bookings and the audit log use it).",
    )


def _amount(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    for size, unit in ((525_600, "year"), (1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            n = minutes // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "a moment"
