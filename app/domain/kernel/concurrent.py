"""What a change means when someone else changed the booking since the desk looked.

Guarded fields (tables, time, party size, status) are never overwritten blindly:
a change made from a stale view of them is kept as a conflict for staff to
settle. Free text merges, both versions kept and the later one signed. Other
fields (occasion, priority) go to the last writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from app.domain.booking import Booking, field_json

GUARDED = frozenset({"table_ids", "start", "duration_minutes", "party_size", "status"})
MERGED = frozenset({"notes", "special_requests"})


def _same(name: str, seen: object, current: Booking) -> bool:
    now = field_json(getattr(current, name))
    if name == "table_ids":
        return isinstance(seen, list | tuple) and sorted(str(t) for t in seen) == sorted(now)  # type: ignore[arg-type]
    if isinstance(now, str) and name == "start":
        try:
            return datetime.fromisoformat(str(seen)) == datetime.fromisoformat(now)
        except ValueError:
            return False
    return field_json(seen) == now


def stale_fields(
    current: Booking, previous: Mapping[str, object], written: Iterable[str]
) -> list[str]:
    """Guarded fields the change writes whose value the desk saw differs from today's.

    Only ask when the desk's base version is older than the booking's: then a
    written field the desk did not record seeing counts as changed too.
    """
    return sorted(
        name
        for name in set(written) & GUARDED
        if name not in previous or not _same(name, previous[name], current)
    )


def merge_text(current: str, seen: object, mine: str, signature: str) -> str:
    """Both sides of a concurrent edit of free text, the later one signed.

    ``seen`` is what the desk saw before its edit (None: it was not stale).
    """
    if seen is None or str(seen) == current or mine == current:
        return mine
    return f"{current}\n— {signature}: {mine}"
