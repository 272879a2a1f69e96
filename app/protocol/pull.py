"""The page a pull returns: rows in commit order, outcomes, conflicts, live holds."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field

from app.protocol.base import Strict, Version
from app.protocol.conflicts import ConflictRecord
from app.protocol.holds import HoldRecord
from app.protocol.push import Outcome
from app.protocol.rows import Change


class AuditHead(Strict):
    """The last audit event of this desk's chain the server accepted: the anchor a desk's
    own copy is checked against (a tail cut or rewritten after syncing shows)."""

    seq: Annotated[int, Field(ge=0)]
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ChangesPage(Strict):
    changes: list[Change]
    outcomes: list[Outcome]
    conflicts: list[ConflictRecord]
    holds: list[HoldRecord]
    cursor: Version
    has_more: bool
    # The server's clock when it read the page, so a desk can tell how far out its own is.
    server_time: AwareDatetime | None = None
    audit_head: AuditHead | None = None
    # Which copy of the venue's history the server holds: new after a restore from a
    # backup. The desk sends it back with its next pull (server/sync/pull.py).
    lineage: UUID | None = None
