"""Wrong PINs at a desk: after ``MAX_WRONG`` in a row for one name, that name waits
``LOCK`` before its next try.

A 4-digit PIN has 10,000 values. At five tries a minute, guessing a manager's PIN at the
keyboard (to waive deposits or refund) takes days; a manager who mistypes five times
waits a minute, not a shift. The count is per name as typed (an unknown name counts
too, so tries do not tell which names exist) and lives as long as the desk's window:
whoever can script against the desk's file could read the PIN hashes in it anyway
(docs/architecture.md, "Staff and PINs").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain.errors import DomainError

MAX_WRONG = 5
LOCK = timedelta(minutes=1)


class TooManyWrongPins(DomainError):
    pass


@dataclass
class PinTries:
    wrong: dict[str, int] = field(default_factory=dict)
    locked_until: dict[str, datetime] = field(default_factory=dict)

    def check(self, name: str, now: datetime) -> None:
        """Refuses a try while ``name`` waits."""
        until = self.locked_until.get(name)
        if until is not None and now < until:
            seconds = math.ceil((until - now).total_seconds())
            raise TooManyWrongPins(
                f"{MAX_WRONG} wrong PINs in a row for that name: try again in {seconds} "
                f"second{'s' if seconds != 1 else ''}."
            )

    def failed(self, name: str, now: datetime) -> None:
        self.wrong[name] = self.wrong.get(name, 0) + 1
        if self.wrong[name] >= MAX_WRONG:
            self.wrong[name] = 0
            self.locked_until[name] = now + LOCK

    def succeeded(self, name: str) -> None:
        self.wrong.pop(name, None)
        self.locked_until.pop(name, None)
