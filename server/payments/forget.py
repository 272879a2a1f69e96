"""Deleting a guest's saved-card customer at Stripe once the guest is erased at their
request (docs/data-protection.md, "Forgetting a guest").

The erasure queues each Stripe customer its guest's deposits saved a card under
(``queue``), in its own transaction; the deletion is asked of Stripe after the commit
and by every reconciliation pass until Stripe has done it (``forget``), so a Stripe that
cannot be reached delays it and never loses it. Deleting is safe to ask twice: a customer
Stripe no longer has counts as deleted. A refusal for good is kept, with Stripe's words,
for the operator (``backroom-server payments reconcile`` says so), who deletes it by hand.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from server.payments.gateway import GatewayError
from server.payments.links import Payments
from server.payments.models import DepositRequest, StripeCustomerDeletion


def queue(
    session: Session, venue_id: uuid.UUID, booking_ids: Iterable[uuid.UUID], now: datetime
) -> int:
    """Queue the Stripe customers of these bookings' deposits for deletion, in the
    caller's transaction; how many there are."""
    refs = session.scalars(
        select(DepositRequest.customer_ref)
        .where(
            DepositRequest.booking_id.in_(list(booking_ids)),
            DepositRequest.customer_ref.is_not(None),
        )
        .distinct()
    ).all()
    for ref in refs:
        session.execute(
            insert(StripeCustomerDeletion)
            .values(id=uuid.uuid4(), venue_id=venue_id, customer_ref=ref, requested_at=now)
            .on_conflict_do_nothing(index_elements=["venue_id", "customer_ref"])
        )
    return len(refs)


def waiting(sessions: sessionmaker[Session], venue_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """Deletions asked for and neither done nor refused for good (oldest first), of one
    venue or of every venue."""
    query = select(StripeCustomerDeletion.id).where(
        StripeCustomerDeletion.deleted_at.is_(None), StripeCustomerDeletion.failed_at.is_(None)
    )
    if venue_id is not None:
        query = query.where(StripeCustomerDeletion.venue_id == venue_id)
    with sessions() as session:
        return list(session.scalars(query.order_by(StripeCustomerDeletion.requested_at)))


def refused(sessions: sessionmaker[Session]) -> list[str]:
    """The deletions Stripe refused for good, in words for the operator."""
    with sessions() as session:
        rows = session.scalars(
            select(StripeCustomerDeletion)
            .where(StripeCustomerDeletion.failed_at.is_not(None))
            .order_by(StripeCustomerDeletion.failed_at)
        )
        return [
            f"Stripe customer {r.customer_ref} of an erased guest was not deleted "
            f"({r.last_error}); delete it in Stripe's dashboard."
            for r in rows
        ]


def forget(sessions: sessionmaker[Session], payments: Payments, ids: Iterable[uuid.UUID]) -> int:
    """Ask Stripe to delete each waiting customer and record its answer; how many it
    deleted. One Stripe could not answer is left for the next pass."""
    deleted = 0
    for deletion_id in ids:
        with sessions() as session:
            row = session.get(StripeCustomerDeletion, deletion_id)
            if row is None or row.deleted_at is not None or row.failed_at is not None:
                continue
            ref = row.customer_ref
        trouble: GatewayError | None = None
        try:
            payments.gateway.delete_customer(ref)
        except GatewayError as error:
            trouble = error
        with sessions() as session, session.begin():
            row = session.get(StripeCustomerDeletion, deletion_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                continue
            row.attempts += 1
            if trouble is None:
                row.deleted_at, row.last_error = payments.clock.now(), None
                deleted += 1
            else:
                row.last_error = str(trouble)
                if not trouble.retry:
                    row.failed_at = payments.clock.now()
    return deleted
