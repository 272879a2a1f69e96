"""The desk's own record of what a pull did that staff must be told (app.models.sync_tables)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.sync_tables import SyncNoticeRow


@dataclass(frozen=True, slots=True)
class StoredNotice:
    id: int
    kind: str
    message: str
    detail: dict[str, Any]
    created_at: datetime
    shown_at: datetime | None


class NoticeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def unshown(self) -> list[StoredNotice]:
        """Notices no one has been shown yet, oldest first."""
        rows = self.session.scalars(
            select(SyncNoticeRow).where(SyncNoticeRow.shown_at.is_(None)).order_by(SyncNoticeRow.id)
        )
        return [_stored(r) for r in rows]

    def all(self, kind: str | None = None) -> list[StoredNotice]:
        query = select(SyncNoticeRow).order_by(SyncNoticeRow.id)
        if kind is not None:
            query = query.where(SyncNoticeRow.kind == kind)
        return [_stored(r) for r in self.session.scalars(query)]

    def mark_shown(self, ids: Collection[int], at: datetime) -> None:
        self.session.execute(
            update(SyncNoticeRow)
            .where(SyncNoticeRow.id.in_(list(ids)), SyncNoticeRow.shown_at.is_(None))
            .values(shown_at=at)
        )


def _stored(row: SyncNoticeRow) -> StoredNotice:
    return StoredNotice(row.id, row.kind, row.message, row.detail, row.created_at, row.shown_at)
