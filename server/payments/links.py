"""Making the payment links that judged ``request_deposit`` intents asked for.

Called after the push's commit (never inside it: see server.sync.deposit_requests) and
by the reconciliation. Each call to the provider carries the request's id — the
intent's mutation id — as its idempotency key and the parameters fixed when the
request was judged, so however often this runs (a replayed push, a crash after the
call and before the write, a reconciliation at the same moment) Stripe makes one link.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import RequestStatus, waits_on_a_link
from app.domain.deposit_modes import DepositMode
from app.domain.deposits import format_pence
from app.domain.references import format_reference
from server.clock import Clock
from server.payments.found import before_links
from server.payments.gateway import CheckoutRequest, GatewayError, PaymentGateway
from server.payments.models import DepositRequest
from server.payments.settle import apply_checkout, failed, locked_request
from server.settings import Settings
from server.sync.models import Booking

# What the guest reads on Stripe's page, by what the link asks of their card.
_DESCRIPTIONS = {
    DepositMode.PAYMENT: "Deposit {amount}, booking {ref}",
    DepositMode.HOLD: "Deposit {amount} held on your card, taken only if you do not come, "
    "booking {ref}",
    DepositMode.SAVE_CARD: "Card kept for booking {ref}: {amount} is charged only if you "
    "do not come",
}


@dataclass(frozen=True, slots=True)
class Payments:
    """What the payment features need: the gateway, the clock and the server's address."""

    gateway: PaymentGateway
    clock: Clock
    public_url: str


def payments_from(settings: Settings, clock: Clock) -> Payments | None:
    """The payments of a server with a Stripe key configured; None without one."""
    if settings.stripe_api_key is None or not settings.payments_on:
        return None
    from server.payments.stripe_gateway import StripeGateway  # only a paying server loads stripe

    gateway = StripeGateway(settings.stripe_api_key.get_secret_value(), settings.stripe_api_base)
    return Payments(gateway, clock, settings.public_url.rstrip("/"))


def waiting(sessions: sessionmaker[Session], venue_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """Requests judged whose link is not made yet (oldest first)."""
    query = select(DepositRequest.id).where(
        DepositRequest.kind == ActionKind.LINK.value,
        DepositRequest.status == RequestStatus.REQUESTED.value,
        DepositRequest.session_id.is_(None),
    )
    if venue_id is not None:
        query = query.where(DepositRequest.venue_id == venue_id)
    with sessions() as session:
        return list(session.scalars(query.order_by(DepositRequest.requested_at)))


def make_links(
    sessions: sessionmaker[Session], payments: Payments, ids: Iterable[uuid.UUID]
) -> int:
    """Make each request's link and store it; how many were stored. A provider that cannot
    be reached leaves the request waiting for the reconciliation; one that refuses fails it."""
    ids = list(ids)
    held_back, found = before_links(sessions, payments, ids) if ids else (set(), set())
    made = 0
    for request_id in ids:
        with sessions() as session:
            request = session.get(DepositRequest, request_id)
            if (
                request is None
                or request.session_id is not None
                or request.kind != ActionKind.LINK.value
                or request_id in held_back
            ):
                continue
            owed = _still_owed(session, request, request.booking_id in found)
            if owed is None:
                asked = _checkout_request(session, request, payments.public_url)
        if owed is not None:
            _fail(sessions, payments, request_id, owed)
            continue
        try:
            checkout = payments.gateway.create_checkout(asked, idempotency_key=str(request_id))
        except GatewayError as refused:
            if not refused.retry:
                _fail(sessions, payments, request_id, str(refused))
            continue
        with sessions() as session, session.begin():
            locked = locked_request(session, request_id)
            if locked is not None:
                now = payments.clock.now()
                apply_checkout(session, locked, checkout, now, payments.public_url)
                made += 1
    return made


def _still_owed(session: Session, request: DepositRequest, found: bool) -> str | None:
    """None while the booking still waits on this link; else why no link is made (the
    deposit settled since it was asked for: at the bar, or through a link a restore lost
    and server.payments.found took back)."""
    state = session.scalar(select(Booking.deposit_state).where(Booking.id == request.booking_id))
    if waits_on_a_link(state):
        return None
    said = f"the booking's deposit is {str(state).replace('_', ' ')} now"
    if found:
        return said + (
            ", through the link sent before the server was restored (found at Stripe); "
            "no second link is made."
        )
    return said + ", so no link is needed."


def _fail(
    sessions: sessionmaker[Session], payments: Payments, request_id: uuid.UUID, why: str
) -> None:
    with sessions() as session, session.begin():
        request = locked_request(session, request_id)
        if request is not None and request.status == RequestStatus.REQUESTED.value:
            failed(session, request, why, payments.clock.now())


def _checkout_request(session: Session, r: DepositRequest, public_url: str) -> CheckoutRequest:
    booking = session.get(Booking, r.booking_id)
    assert booking is not None and r.expires_at is not None
    ref = format_reference(booking.reference)
    return CheckoutRequest(
        amount_pence=r.amount_pence,
        currency=r.currency,
        description=_DESCRIPTIONS[DepositMode(r.mode)].format(
            amount=format_pence(r.amount_pence), ref=ref
        ),
        expires_at=r.expires_at,
        success_url=f"{public_url}/v1/payments/done?booking={ref}",
        cancel_url=f"{public_url}/v1/payments/done?booking={ref}&cancelled=1",
        metadata={
            "request_id": str(r.id),
            "booking_id": str(r.booking_id),
            "venue_id": str(r.venue_id),
        },
        mode=DepositMode(r.mode),
    )
