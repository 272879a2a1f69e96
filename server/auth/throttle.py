"""The sign-in limit: wrong passwords counted per name and address, per address, per name.

- one name from one address: after ``login_max_failures`` that address may
  not try that name for ``login_lock_minutes`` (a guesser at one desk);
- one address, any names: after ``login_max_failures_per_client`` that
  address may not sign in at all for ``login_lock_minutes`` (a brute force
  over many names);
- one name, any address: after ``login_max_failures_per_name`` the name is
  locked everywhere, but only for ``login_name_lock_minutes``, so an attacker
  elsewhere cannot keep its owner out for long.

Failures are counted within ``login_lock_minutes`` of the first. The counts
are rows of ``login_failures`` (never per process), so every instance agrees.

Every attempt takes its place in the count **before** its password is checked,
in a statement of its own that commits (``take_attempt``): the counter's row
lock orders a burst of parallel attempts, so no more than the limit of them ever
reach the password check, however many arrive at once. A right password gives
its place back (``give_back``).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.errors import error
from server.settings import Settings

EVERY = ""  # the username or client of a count over every name or address


@dataclass(frozen=True)
class Counter:
    username: str
    client: str
    max_failures: int
    lock: timedelta

    def refusal(self, minutes: int) -> str:
        wait = f"Try again in {minutes} minute{'s' if minutes != 1 else ''}"
        if self.username == EVERY:
            return f"Too many failed sign-ins from this address. {wait}."
        where = "from this address" if self.client != EVERY else "from several places"
        return (
            f"Too many wrong passwords for '{self.username}' {where}. {wait}, "
            "or ask a manager to reset the password."
        )


def counters(settings: Settings, username: str, client: str) -> list[Counter]:
    lock = timedelta(minutes=settings.login_lock_minutes)
    found = [Counter(EVERY, client, settings.login_max_failures_per_client, lock)]
    if username:  # a blank name is counted against the address only
        found += [
            Counter(username, client, settings.login_max_failures, lock),
            Counter(
                username,
                EVERY,
                settings.login_max_failures_per_name,
                timedelta(minutes=settings.login_name_lock_minutes),
            ),
        ]
    return found


_LOCKED = text(
    "SELECT username, client, locked_until FROM login_failures WHERE venue_id = :venue "
    "AND (username, client) IN (SELECT * FROM unnest(CAST(:names AS text[]), "
    "CAST(:clients AS text[]))) AND locked_until > :now ORDER BY locked_until DESC"
)
_EXPIRED = "login_failures.first_failed_at <= :window_start"
_SO_FAR = f"(CASE WHEN {_EXPIRED} THEN 1 ELSE login_failures.failures + 1 END)"
_REACHED = f"{_SO_FAR} >= :max_failures"


def refuse_if_locked(
    session: Session, now: datetime, venue_id: uuid.UUID, found: list[Counter]
) -> None:
    """429 with the reason and Retry-After while any of these counters is locked."""
    locked = session.execute(
        _LOCKED,
        {
            "venue": venue_id,
            "names": [c.username for c in found],
            "clients": [c.client for c in found],
            "now": now,
        },
    ).first()
    if locked is None:
        return
    counter = next(c for c in found if (c.username, c.client) == (locked[0], locked[1]))
    seconds = math.ceil((locked[2] - now).total_seconds())
    raise error(
        429, counter.refusal(math.ceil(seconds / 60)), headers={"Retry-After": str(seconds)}
    )


# One attempt more for a counter that is not locked; locks it when that reaches the limit.
# No row comes back while the counter is locked: the attempt is refused.
_TAKE = text(
    "INSERT INTO login_failures (venue_id, username, client, failures, first_failed_at, "
    "locked_until) VALUES (:venue, :username, :client, "
    "CASE WHEN :max_failures <= 1 THEN 0 ELSE 1 END, :now, "
    "CASE WHEN :max_failures <= 1 THEN CAST(:locked_until AS timestamptz) END) "
    "ON CONFLICT (venue_id, username, client) DO UPDATE SET "
    f"failures = CASE WHEN {_REACHED} THEN 0 ELSE {_SO_FAR} END, "
    f"first_failed_at = CASE WHEN {_REACHED} OR {_EXPIRED} THEN :now "
    "ELSE login_failures.first_failed_at END, "
    f"locked_until = CASE WHEN {_REACHED} THEN CAST(:locked_until AS timestamptz) "
    f"WHEN {_EXPIRED} THEN NULL ELSE login_failures.locked_until END "
    "WHERE login_failures.locked_until IS NULL OR login_failures.locked_until <= :now "
    "RETURNING 1"
)
_GIVE_BACK = text(
    "UPDATE login_failures SET failures = greatest(failures - 1, 0) WHERE venue_id = :venue "
    "AND username = :username AND client = :client AND failures > 0"
)


def take_attempt(
    session: Session, settings: Settings, now: datetime, venue_id: uuid.UUID, found: list[Counter]
) -> None:
    """Count this attempt on every counter at once, or 429 if one of them is locked.

    Commit right after: the count must hold before the password is checked.
    """
    window_start = now - timedelta(minutes=settings.login_lock_minutes)
    for counter in found:
        taken = session.execute(
            _TAKE,
            {
                "venue": venue_id,
                "username": counter.username,
                "client": counter.client,
                "now": now,
                "window_start": window_start,
                "max_failures": counter.max_failures,
                "locked_until": now + counter.lock,
            },
        ).first()
        if taken is None:
            session.rollback()
            refuse_if_locked(session, now, venue_id, [counter])
            raise error(429, counter.refusal(settings.login_lock_minutes))


def give_back(session: Session, venue_id: uuid.UUID, found: list[Counter]) -> None:
    """A right password: its attempt was not a failure after all."""
    for counter in found:
        params = {"venue": venue_id, "username": counter.username, "client": counter.client}
        session.execute(_GIVE_BACK, params)


def forget(session: Session, venue_id: uuid.UUID, username: str, client: str) -> None:
    """A right password clears that name's count from that address."""
    session.execute(
        text(
            "DELETE FROM login_failures WHERE venue_id = :venue AND username = :username "
            "AND client = :client"
        ),
        {"venue": venue_id, "username": username, "client": client},
    )
