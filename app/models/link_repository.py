"""Deposit payment links on this desk, as the server last sent them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import DepositLink, RequestStatus
from app.domain.deposit_modes import DepositMode
from app.models.link_tables import DepositLinkRow
from app.models.sync_tables import SyncOutcomeRow
from app.models.tables import OutboxRow
from app.protocol.rows import DepositRequestRow


class LinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def latest(self, booking_ids: Iterable[str]) -> dict[str, DepositLink]:
        return latest_links(self.session, booking_ids)

    def latest_actions(self, booking_ids: Iterable[str]) -> dict[str, DepositLink]:
        """Each booking's latest claim or refund, by booking id."""
        return latest_links(
            self.session,
            booking_ids,
            kinds=(ActionKind.CLAIM, ActionKind.REFUND, ActionKind.RELEASE),
        )

    def released_here(self, booking_ids: Iterable[str]) -> dict[str, str]:
        """Links of these bookings that this desk asked for and whose expiry made the
        server cancel the booking: request id → booking id. (No desk's cancel freed such
        a booking's tables, so the desk that sent the link offers them to its waitlist:
        app/services/waitlist_offers.py.)
        """
        mine = select(SyncOutcomeRow.mutation_id).union(select(OutboxRow.mutation_id))
        rows = self.session.execute(
            select(DepositLinkRow.id, DepositLinkRow.booking_id).where(
                DepositLinkRow.booking_id.in_(list(booking_ids)),
                DepositLinkRow.released_at.is_not(None),
                DepositLinkRow.id.in_(mine),
            )
        )
        return {request_id: booking_id for request_id, booking_id in rows}


def latest_links(
    session: Session,
    booking_ids: Iterable[str],
    kinds: Iterable[ActionKind] = (ActionKind.LINK,),
) -> dict[str, DepositLink]:
    """Each booking's latest link (or claim or refund), by booking id."""
    rows = session.scalars(
        select(DepositLinkRow)
        .where(
            DepositLinkRow.booking_id.in_(list(booking_ids)),
            DepositLinkRow.kind.in_([k.value for k in kinds]),
        )
        .order_by(DepositLinkRow.requested_at)
    )
    return {
        r.booking_id: DepositLink(
            r.booking_id,
            r.amount_pence,
            RequestStatus(r.status),
            r.url,
            r.expires_at,
            r.problem,
            mode=DepositMode(r.mode),
            card_last4=r.card_last4,
            capture_before=r.capture_before,
            kind=ActionKind(r.kind),
            reason=r.reason,
            released_at=r.released_at,
            requested_at=r.requested_at,
        )
        for r in rows
    }


def write_pulled_links(session: Session, rows: Iterable[DepositRequestRow]) -> None:
    for row in rows:
        target = session.get(DepositLinkRow, str(row.id))
        if target is None:
            target = DepositLinkRow(id=str(row.id))
            session.add(target)
        elif target.version > row.version:
            continue
        target.booking_id, target.amount_pence = str(row.booking_id), row.amount_pence
        target.currency, target.status = row.currency, row.status.value
        target.url, target.expires_at = row.url, row.expires_at
        target.requested_by, target.requested_at = row.requested_by, row.requested_at
        target.problem, target.version = row.problem, row.version
        target.kind, target.mode, target.reason = row.kind.value, row.mode.value, row.reason
        target.card_last4, target.capture_before = row.card_last4, row.capture_before
        target.released_at = row.released_at
