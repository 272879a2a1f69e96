"""Claims, refunds and releases a restored database lost, found again at Stripe and
taken back onto their bookings.

A backup older than the failure loses the manager's claims and refunds made since, but
Stripe made them: a refund and a saved card's charge carry their request's, booking's
and venue's ids and what they were (server.payments.actions), and a captured hold keeps
the claim's id beside its link's. Without them the restored server would show money
held that was given back, or a no-show's card not yet charged — and a manager claiming
again would charge the guest twice. So the reconciliation that lists the lost links
(server.payments.found) also lists the refunds and charges made since, asks Stripe what
became of every hold the copy still has as held, and keeps what this database does not
know (``found_moves``). Each is taken back once its booking is here and, for a refund,
the payment it gave back is on the ledger (a lost paid link is taken back first): the
request written again under its own id, done, and Stripe's word applied by the same
``record_moved`` as when Stripe answered the manager — without telling the guest again.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_ledger import TAKEN_ONLINE
from app.domain.deposit_links import RequestStatus
from server.payments.gateway import CLAIM_ON_HOLD, MoneyMove, PaymentGateway
from server.payments.models import DepositRequest, FoundMove
from server.payments.recorded import MadeAtStripe, record_made
from server.sync.ledger_models import DepositLedgerEntry
from server.sync.models import Booking

if TYPE_CHECKING:
    from server.payments.links import Payments

FOUND_BY = "Found at Stripe after the server was restored"
# What a found refund or release says in the ledger (a claim says what it claimed).
_REASONS = {
    ActionKind.REFUND.value: "found at Stripe after the server was restored",
    ActionKind.RELEASE.value: "Hold released (found at Stripe after the server was restored)",
}
# A release (a cancelled hold) carries no ids of its own: named by its PaymentIntent.
_UNNAMED = uuid.UUID("0c6f5a3e-2b1d-4f8e-9a47-6d2c1e8b5f90")


@dataclass(frozen=True, slots=True)
class Hold:
    """A card hold the restored copy has as still held: its link's request and intent."""

    venue_id: uuid.UUID
    booking_id: uuid.UUID
    payment_ref: str


@dataclass(frozen=True, slots=True)
class Found:
    move: MoneyMove
    venue_id: uuid.UUID
    booking_id: uuid.UUID
    request_id: uuid.UUID


def holds(session: Session, venue_ids: Collection[uuid.UUID]) -> list[Hold]:
    """Every card hold of these venues the copy has as held, to ask Stripe about."""
    rows = session.execute(
        select(DepositRequest.venue_id, DepositRequest.booking_id, DepositRequest.provider_ref)
        .where(
            DepositRequest.venue_id.in_(venue_ids),
            DepositRequest.kind == ActionKind.LINK.value,
            DepositRequest.status == RequestStatus.HELD.value,
            DepositRequest.provider_ref.is_not(None),
        )
        .order_by(DepositRequest.requested_at)
    )
    return [Hold(venue, booking, str(ref)) for venue, booking, ref in rows]


def at_stripe(
    gateway: PaymentGateway, since: datetime, venue_ids: Collection[uuid.UUID], held: list[Hold]
) -> list[Found]:
    """What Stripe moved for these venues' bookings since ``since``, and what became of
    their holds. Stripe not answering raises GatewayError (asked again next pass)."""
    found: list[Found] = []
    for move in gateway.moves_since(since):
        ids = _ids(move.metadata, ("venue_id", "booking_id", "request_id"))
        if ids is not None and ids[0] in venue_ids:
            found.append(Found(move, *ids))
    return found + held_now(gateway, held)


def held_now(gateway: PaymentGateway, held: list[Hold]) -> list[Found]:
    """What became of these holds at Stripe: each captured (a claim) or let go (a
    release); none for a hold Stripe still holds."""
    found = []
    for hold in held:
        move = gateway.hold_now(hold.payment_ref)
        if move is None:
            continue
        named = _ids(move.metadata, (CLAIM_ON_HOLD,))
        request_id = named[0] if named else unnamed(move)
        found.append(Found(move, hold.venue_id, hold.booking_id, request_id))
    return found


def unnamed(move: MoneyMove) -> uuid.UUID:
    """The id of a release Stripe made that carries none of its own (a cancelled hold),
    the same whoever records it first (a restore's listing, or a lapse: server.payments.
    lapsed)."""
    return uuid.uuid5(_UNNAMED, f"{move.kind}:{move.ref}")


def _ids(metadata: dict[str, str], keys: tuple[str, ...]) -> tuple[uuid.UUID, ...] | None:
    try:
        return tuple(uuid.UUID(metadata[k]) for k in keys)
    except (KeyError, ValueError):
        return None


def keep(session: Session, found: Iterable[Found], now: datetime) -> int:
    """Keep those this database does not know; how many were new."""
    kept = 0
    for f in found:
        if known(session, f.request_id, f.move.ref):
            continue
        added = session.execute(
            insert(FoundMove)
            .values(
                ref=f.move.ref,
                kind=f.move.kind,
                venue_id=f.venue_id,
                booking_id=f.booking_id,
                request_id=f.request_id,
                payment_ref=f.move.payment_ref,
                amount_pence=f.move.amount_pence,
                currency=f.move.currency,
                moved_at=f.move.created_at,
                found_at=now,
            )
            .on_conflict_do_nothing()
            .returning(FoundMove.ref)
        ).first()
        kept += added is not None
    return kept


def known(session: Session, request_id: uuid.UUID, ref: str) -> bool:
    """The request is here, or another request of this server's recorded the same move
    (a hold captured or released before the backup, by a claim the copy has; or by a
    claim of the server's, as Stripe's events tell it: server.payments.outside)."""
    if session.get(DepositRequest, request_id) is not None:
        return True
    query = select(DepositRequest.id).where(
        DepositRequest.kind != ActionKind.LINK.value,
        DepositRequest.status == RequestStatus.DONE.value,
        DepositRequest.provider_ref == ref,
    )
    return session.scalar(query.limit(1)) is not None


def take_back(
    sessions: sessionmaker[Session],
    payments: Payments,
    booking_ids: Collection[uuid.UUID] | None = None,
) -> int:
    """Take back every found move whose booking is here (of ``booking_ids`` only, if
    given), oldest first; how many were."""
    query = (
        select(FoundMove.ref)
        .join(Booking, Booking.id == FoundMove.booking_id)
        .where(FoundMove.settled_at.is_(None))
        .order_by(FoundMove.moved_at.nulls_last(), FoundMove.found_at, FoundMove.ref)
    )
    if booking_ids is not None:
        query = query.where(FoundMove.booking_id.in_(booking_ids))
    with sessions() as session:
        waiting = list(session.scalars(query))
    taken = 0
    for ref in waiting:
        with sessions() as session, session.begin():
            taken += _take_back(session, ref, payments.clock.now())
    return taken


def _take_back(session: Session, ref: str, now: datetime) -> bool:
    found = session.get(FoundMove, ref, with_for_update=True)
    if found is None or found.settled_at is not None:
        return False
    if known(session, found.request_id, found.ref):
        found.settled_at, found.outcome = now, "its request is known again"
        return False
    if found.kind == ActionKind.REFUND.value and not _taken_here(session, found):
        # The payment it gave back is not on the ledger yet (its link is still to be
        # taken back, or its booking entered again): wait for it.
        return False
    made = MadeAtStripe(
        request_id=found.request_id,
        venue_id=found.venue_id,
        booking_id=found.booking_id,
        kind=ActionKind(found.kind),
        amount_pence=found.amount_pence,
        currency=found.currency,
        reason=_REASONS.get(found.kind),
        by=FOUND_BY,
        at=found.moved_at or now,
        ref=found.ref,
    )
    record_made(session, made, now)
    found.settled_at, found.outcome = now, f"taken back: {found.kind}"
    return True


def _taken_here(session: Session, found: FoundMove) -> bool:
    query = select(DepositLedgerEntry.id).where(
        DepositLedgerEntry.booking_id == found.booking_id,
        DepositLedgerEntry.provider_ref == found.payment_ref,
        DepositLedgerEntry.kind.in_([k.value for k in TAKEN_ONLINE]),
    )
    return session.scalar(query.limit(1)) is not None


def waiting_for(session: Session, booking_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these bookings have a found move not yet taken back."""
    query = select(FoundMove.booking_id).where(
        FoundMove.booking_id.in_(booking_ids), FoundMove.settled_at.is_(None)
    )
    return set(session.scalars(query))
