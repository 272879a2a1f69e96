"""Storing the waitlist's offer machine (app.domain.waitlist) between steps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.waitlist import (
    EventKind,
    FreedTable,
    Offer,
    Skip,
    SkipReason,
    Waitlist,
    WaitlistEvent,
)
from app.models.waitlist_tables import FreedTableRow, OfferRow, SkipRow

PASSED = (EventKind.DECLINED.value, EventKind.EXPIRED.value)


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def state(self, day: date, hold_minutes: int) -> Waitlist:
        """The machine for one service day, without its entries (the caller adds them)."""
        freed = {
            r.id: _freed(r)
            for r in self.session.scalars(
                select(FreedTableRow).where(
                    FreedTableRow.service_day == day, FreedTableRow.closed_at.is_(None)
                )
            )
        }
        offers = [
            Offer(freed[r.freed_id], r.booking_id, r.offered_at, r.expires_at)
            for r in self.session.scalars(
                select(OfferRow)
                .where(OfferRow.freed_id.in_(freed), OfferRow.ended_at.is_(None))
                .order_by(OfferRow.offered_at, OfferRow.id)
            )
        ]
        offered = {o.freed.id for o in offers}
        passed = self.session.execute(
            select(OfferRow.freed_id, OfferRow.booking_id).where(
                OfferRow.freed_id.in_(freed), OfferRow.outcome.in_(PASSED)
            )
        )
        return Waitlist(
            offers=tuple(offers),
            unclaimed=tuple(f for fid, f in freed.items() if fid not in offered),
            passed=frozenset((fid, bid) for fid, bid in passed),
            hold_minutes=hold_minutes,
        )

    def save(
        self,
        day: date,
        before: Waitlist,
        after: Waitlist,
        events: Sequence[WaitlistEvent],
        now: datetime,
    ) -> None:
        """Write what one step of the machine changed."""
        outcome = {
            e.offer.id: e.kind.value
            for e in events
            if e.offer is not None and e.kind is not EventKind.OFFERED
        }
        kept = {o.id for o in after.offers}
        for offer in before.offers:
            if offer.id not in kept:
                row = self.session.get(OfferRow, offer.id)
                if row is not None:
                    row.ended_at = now
                    row.outcome = outcome.get(offer.id, EventKind.WITHDRAWN.value)
        known = {o.id for o in before.offers}
        for offer in after.offers:
            if offer.id not in known:
                self._ensure_freed(day, offer.freed, now)
                self.session.merge(
                    OfferRow(
                        id=offer.id,
                        freed_id=offer.freed.id,
                        booking_id=offer.booking_id,
                        offered_at=offer.offered_at,
                        expires_at=offer.expires_at,
                    )
                )
        for freed in after.unclaimed:
            self._ensure_freed(day, freed, now)
        still_open = {o.freed.id for o in after.offers} | {f.id for f in after.unclaimed}
        was_open = {o.freed.id for o in before.offers} | {f.id for f in before.unclaimed}
        for freed_id in was_open - still_open:
            row = self.session.get(FreedTableRow, freed_id)
            if row is not None and row.closed_at is None:
                row.closed_at = now
        self._log(after.log[len(before.log) :])
        self.session.flush()

    def skips(self, freed_ids: Iterable[str]) -> list[Skip]:
        rows = self.session.scalars(
            select(SkipRow).where(SkipRow.freed_id.in_(list(freed_ids))).order_by(SkipRow.id)
        )
        return [Skip(r.booking_id, r.freed_id, SkipReason(r.reason), r.at) for r in rows]

    def known(self, freed_ids: Iterable[str]) -> set[str]:
        """Which of these freed tables this desk has recorded already (open or closed)."""
        wanted = list(freed_ids)
        if not wanted:
            return set()
        return set(
            self.session.scalars(select(FreedTableRow.id).where(FreedTableRow.id.in_(wanted)))
        )

    def freed_on(self, day: date) -> list[FreedTable]:
        rows = self.session.scalars(
            select(FreedTableRow)
            .where(FreedTableRow.service_day == day)
            .order_by(FreedTableRow.freed_at)
        )
        return [_freed(r) for r in rows]

    def _ensure_freed(self, day: date, freed: FreedTable, now: datetime) -> None:
        if self.session.get(FreedTableRow, freed.id) is None:
            self.session.add(
                FreedTableRow(
                    id=freed.id,
                    service_day=day,
                    table_ids=list(freed.table_ids),
                    min_party=freed.min_party,
                    max_party=freed.max_party,
                    start=freed.start,
                    until=freed.until,
                    vip=freed.vip,
                    why=freed.why,
                    freed_at=now,
                )
            )
            self.session.flush()

    def _log(self, skips: Iterable[Skip]) -> None:
        for skip in skips:
            self.session.add(
                SkipRow(
                    freed_id=skip.freed_id,
                    booking_id=skip.booking_id,
                    reason=skip.reason.value,
                    at=skip.at,
                )
            )


def _freed(r: FreedTableRow) -> FreedTable:
    return FreedTable(
        r.id, tuple(r.table_ids), r.min_party, r.max_party, r.start, r.until, r.vip, r.why
    )
