"""An expired unpaid link releases its booking's tables, here on the server.

The rule is ``app.domain.kernel.deposit_expiry.released`` (the status machine's own
cancel); this applies it to the database: the booking cancelled, its
``booking_tables`` rows deleted, the request stamped ``released_at``, and one audit
event written by the server (app.domain.audit.SERVER) with the reason. Called from
``settle.apply_checkout`` when a link expires (webhook, link writer or
reconciliation, in their transaction) and by the reconciliation's sweep for a grace
period that ran out since (``due``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.domain.booking import BookingStatus, booking_snapshot
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import RequestStatus
from app.domain.kernel.deposit_expiry import OWED, expiry_reason, released
from app.domain.messages.causes import Event
from server import audit_log
from server.messages.tell import Deposit, tell_now
from server.payments.models import DepositRequest
from server.sync import store
from server.sync.models import NO_KEY_UPDATE, Booking, BookingTable
from server.venues.service import venue_rules

# The audit event of a release is named by its request: one, however often it is applied.
_EVENT_IDS = uuid.UUID("0b5c3f0e-6a59-4d0e-8f7a-2c1d9e4b7a31")
ACTION = "release_unpaid"


def release(session: Session, request: DepositRequest, now: datetime) -> list[object]:
    """Release ``request``'s booking (locked, in the caller's transaction) if the rule says
    so; the rows changed, for the caller to stamp with the venue's next version."""
    if request.released_at is not None or request.expires_at is None:
        return []
    if request.status != RequestStatus.EXPIRED.value:
        return []
    rules = venue_rules(session, request.venue_id)
    if rules is None:
        return []
    session.flush()  # the lapse just written must not be lost by the reload below
    row = session.get(
        Booking, request.booking_id, with_for_update=NO_KEY_UPDATE, populate_existing=True
    )
    assert row is not None, "a deposit request's booking is never deleted"
    before = store.booking(row)
    after = released(
        rules, before, expires_at=request.expires_at, latest=_latest(session, request), at=now
    )
    if after == before:
        return []
    store.write_booking(row, after)
    session.flush()
    session.execute(delete(BookingTable).where(BookingTable.booking_id == row.id))
    request.released_at = now
    reason = expiry_reason(rules.venue, request.expires_at)
    tell_now(
        session, intent=Event.LINK_EXPIRED, cause=str(request.id), before=before, after=after,
        now=now, deposit=Deposit(reason=reason),
    )  # fmt: skip
    audit_log.record(
        session,
        request.venue_id,
        event_id=uuid.uuid5(_EVENT_IDS, str(request.id)),
        at=now,
        action=ACTION,
        entity="booking",
        entity_id=row.id,
        before=booking_snapshot(before),
        after={**booking_snapshot(after), "reason": reason},
    )
    return [row, request]


def due(session: Session, now: datetime) -> list[uuid.UUID]:
    """Expired links whose booking is still pending for its deposit, not over, not
    released and not replaced: the sweep's candidates (the rule decides, with the
    venue's grace period). A booking whose time is over is never a candidate again, so
    the sweep does not grow with the months."""
    later = aliased(DepositRequest)
    replaced = exists().where(
        later.booking_id == DepositRequest.booking_id,
        later.kind == ActionKind.LINK.value,
        later.requested_at > DepositRequest.requested_at,
    )
    query = (
        select(DepositRequest.id)
        .join(Booking, Booking.id == DepositRequest.booking_id)
        .where(
            DepositRequest.status == RequestStatus.EXPIRED.value,
            DepositRequest.released_at.is_(None),
            Booking.status == BookingStatus.PENDING.value,
            Booking.deposit_state.in_([s.value for s in OWED]),
            Booking.start + func.make_interval(0, 0, 0, 0, 0, Booking.duration_minutes) > now,
            ~replaced,
        )
        .order_by(DepositRequest.expires_at)
    )
    return list(session.scalars(query))


def _latest(session: Session, request: DepositRequest) -> bool:
    """No link was asked for the booking after this one (it was not replaced)."""
    newer = session.scalar(
        select(DepositRequest.id)
        .where(
            DepositRequest.booking_id == request.booking_id,
            DepositRequest.kind == ActionKind.LINK.value,
            DepositRequest.requested_at > request.requested_at,
        )
        .limit(1)
    )
    return newer is None
