"""A booking's history from the audit log: each change, who made it where, what the server said."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain.audit import AuditEvent
from app.domain.deposits import format_pence
from app.domain.venue import Venue

# Fields every change touches, ids no one reads, and what follows from another field shown
# ("combined" is the tables, "15 + 16"); showing them would bury what changed.
_QUIET = frozenset(
    {
        *("updated_at", "version", "id", "venue_id", "customer_id", "created_at"),
        *("reference", "combined"),
    }
)
_INSTANTS = frozenset({"start", "waitlisted_at"})
# An intent the server answered this long after it was made was made while offline
# (a desk online pushes within seconds).
OFFLINE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Answer:
    """The server's answer to the intent that made an event on this desk."""

    pending: bool
    outcome: str | None = None
    reason: str | None = None
    received_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    # None when the booking did not exist before (its creation): there is no "before".
    before: str | None
    after: str

    def __str__(self) -> str:
        if self.before is None:
            return f"{self.field}: {self.after}"
        return f"{self.field}: {self.before} → {self.after}"


@dataclass(frozen=True, slots=True)
class HistoryStep:
    at: datetime
    staff: str
    desk: str
    action: str
    changes: tuple[FieldChange, ...]
    # What the server decided, in words; "" when this desk holds no answer for it.
    server: str
    offline: bool


@dataclass(frozen=True, slots=True)
class Words:
    """How to say a snapshot's values: tables by number, instants in the venue's time."""

    venue: Venue
    tables: Mapping[str, str]

    def say(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if name == "table_ids" and isinstance(value, list):
            return " + ".join(self.tables.get(str(v), "?") for v in value)
        if name in _INSTANTS and isinstance(value, str):
            try:
                return self.venue.show_day_time(datetime.fromisoformat(value))
            except ValueError:
                return value
        if name in ("deposit_pence", "spend_pence", "package_pence") and isinstance(value, int):
            return format_pence(value)
        if name == "duration_minutes" and isinstance(value, int):
            return f"{value // 60}h{value % 60:02d}"
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value).replace("_", " ")


def changes_between(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, words: Words
) -> tuple[FieldChange, ...]:
    """Each field whose value differs, the booking's when, who and where first (``_FIRST``),
    then the rest as the snapshot lists them; a creation (``before`` None) lists each field it
    set, with no "before"."""
    old, new = before or {}, after or {}
    listed = [*new, *(k for k in old if k not in new)]
    names = [k for k in _FIRST if k in listed] + [k for k in listed if k not in _FIRST]
    found = []
    for k in names:
        if k in _QUIET or old.get(k) == new.get(k):
            continue
        if before is None and new.get(k) in (0, False):
            continue  # a creation lists what it set, not a zero score or a £0.00 deposit
        was, now = words.say(k, old.get(k)), words.say(k, new.get(k))
        if was != now:
            label = _FIELD.get(k, k.replace("_", " "))
            found.append(FieldChange(label, None if before is None else was, now))
    return tuple(found)


_FIRST = ("start", "party_size", "table_ids", "duration_minutes", "status")
_FIELD = {
    "table_ids": "tables",
    "deposit_pence": "deposit",
    "spend_pence": "spend",
    "package_id": "package",
    "package_pence": "package price",
    "duration_minutes": "length",
}


def server_words(answer: Answer | None, connected: bool) -> tuple[str, bool]:
    """What the server decided, and whether the change was made offline."""
    if answer is None:
        return "", False
    if answer.pending:
        if not connected:
            return "kept on this desk (not connected to a server)", False
        return "waiting for the server (made offline or not yet sent)", True
    said = answer.outcome or "answered"
    if answer.reason:
        said += f": {answer.reason}"
    return said, False


def history_step(
    event: AuditEvent, desk: str, answer: Answer | None, words: Words, *, connected: bool
) -> HistoryStep:
    said, offline = server_words(answer, connected)
    if answer is not None and answer.received_at is not None:
        offline = answer.received_at - event.at > OFFLINE_AFTER
    return HistoryStep(
        at=event.at,
        staff=event.staff_name,
        desk=desk,
        action=event.action.replace("_", " "),
        changes=changes_between(event.before, event.after, words),
        server=said,
        offline=offline,
    )
