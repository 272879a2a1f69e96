"""Stripe's webhooks: verified against the raw body, each event applied at most once.

Stripe signs ``t.payload`` with the endpoint's secret and delivers at least once, in
any order (https://docs.stripe.com/webhooks#verify-events). The signature is checked
by the SDK's ``construct_event``; the timestamp against *this server's* clock (the
default 300 s tolerance), so a server whose clock is a test's fixed instant judges
staleness by that instant, not by wall time.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import stripe
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from server.payments import found, outside
from server.payments.failed_refunds import record_failed
from server.payments.gateway import PaymentGateway
from server.payments.settle import apply_checkout, request_for
from server.payments.stripe_gateway import EVENTS, WITH_CARD, checkout_of, event_move

# The events that move a deposit link; any other is acknowledged and ignored.
HANDLED = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.expired",
    }
)
# Money moved at Stripe, perhaps outside Backroom (its Dashboard): recorded at once when
# Stripe sends them, else by the reconciliation's reading of the same events.
MONEY_MOVED = frozenset(EVENTS)
_RECORD = text(
    "INSERT INTO payment_events (id, type, request_id, received_at) "
    "VALUES (:id, :type, :request, :now) ON CONFLICT (id) DO NOTHING RETURNING 1"
)


class BadSignature(Exception):
    """A delivery that is not Stripe's, or is too old to trust: refused, nothing changed."""


def verified_event(
    payload: bytes, header: str, secret: str, now: datetime, tolerance: int
) -> dict[str, Any]:
    """The event in ``payload`` if ``header`` signs it with ``secret`` within ``tolerance``."""
    stamp = _timestamp(header)
    if abs(now.timestamp() - stamp) > tolerance:
        raise BadSignature(
            f"The signature's timestamp is more than {tolerance} seconds from the server's "
            "time; a replayed or delayed delivery is refused."
        )
    try:
        event = stripe.Webhook.construct_event(payload, header, secret, tolerance=None)
    except stripe.SignatureVerificationError as exc:
        raise BadSignature("The Stripe-Signature does not match this body.") from exc
    except ValueError as exc:
        raise BadSignature("The body is not a Stripe event.") from exc
    return event.to_dict()  # type: ignore[no-any-return]


def _timestamp(header: str) -> int:
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    raise BadSignature("The Stripe-Signature header has no timestamp.")


def apply_event(
    sessions: sessionmaker[Session],
    event: dict[str, Any],
    now: datetime,
    gateway: PaymentGateway | None = None,
    public_url: str = "",
) -> str:
    """Apply one verified event, once: "applied", "duplicate" or "ignored".

    A completed hold or save-card session is read back from Stripe first (``gateway``):
    the event names the card's intent, not the card, and a claim needs both. Stripe not
    answering raises GatewayError, and the delivery is answered 503 for Stripe to retry.
    """
    kind = str(event.get("type", ""))
    if kind in MONEY_MOVED:
        return _moved(sessions, event, now)
    if kind not in HANDLED:
        return "ignored"
    checkout = checkout_of(event["data"]["object"])
    if gateway is not None and checkout.state in WITH_CARD:
        checkout = gateway.retrieve_checkout(checkout.id)
    with sessions() as session, session.begin():
        request = request_for(session, checkout)
        request_id: uuid.UUID | None = request.id if request is not None else None
        first = session.execute(
            _RECORD, {"id": str(event["id"]), "type": kind, "request": request_id, "now": now}
        ).first()
        if first is None:
            return "duplicate"
        if request is None:
            return "ignored"
        apply_checkout(session, request, checkout, now, public_url)
    return "applied"


def _moved(sessions: sessionmaker[Session], event: dict[str, Any], now: datetime) -> str:
    """A refund, capture or cancellation Stripe made: recorded on its booking if it was
    made outside Backroom (server.payments.outside); one of the server's own, or on no
    booking's payment, is ignored. A refund the guest's bank sent back is recorded
    failed (server.payments.failed_refunds). While a restore's listing is pending it is left to the
    reconciliation, which reads the same event again."""
    move = event_move(event)
    kind, event_id = str(event["type"]), str(event["id"])
    with sessions() as session, session.begin():
        if found.pending(session):
            return "ignored"
        first = session.execute(
            _RECORD, {"id": event_id, "type": kind, "request": None, "now": now}
        ).first()
        if first is None:
            return "duplicate"
        if move is not None and move.failed is not None:
            recorded = record_failed(session, move, now)
        else:
            recorded = move is not None and outside.record(session, move, now)
        if not recorded:
            return "ignored"
    return "applied"
