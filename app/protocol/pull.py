"""The page a pull returns: rows in commit order, outcomes, conflicts, live holds."""

from __future__ import annotations

from app.protocol.base import Strict, Version
from app.protocol.conflicts import ConflictRecord
from app.protocol.holds import HoldRecord
from app.protocol.push import Outcome
from app.protocol.rows import Change


class ChangesPage(Strict):
    changes: list[Change]
    outcomes: list[Outcome]
    conflicts: list[ConflictRecord]
    holds: list[HoldRecord]
    cursor: Version
    has_more: bool
