"""The payment gateway on Stripe, through the official SDK's ``StripeClient``.

Only this module imports ``stripe`` (the desk never does: an import-linter contract).
Every call that creates something carries the caller's idempotency key, so a retry
after a lost answer gets Stripe's first answer back instead of a second link
(https://docs.stripe.com/api/idempotent_requests).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe

from server.payments.gateway import Checkout, CheckoutRequest, GatewayError, SessionState


class StripeGateway:
    def __init__(self, api_key: str, api_base: str | None = None, retries: int = 2) -> None:
        bases: dict[str, str] = {"api": api_base} if api_base else {}
        self._client = stripe.StripeClient(
            api_key,
            base_addresses=bases,
            max_network_retries=retries,  # type: ignore[arg-type]
        )

    def create_checkout(self, request: CheckoutRequest, *, idempotency_key: str) -> Checkout:
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount_pence,
                        "product_data": {"name": request.description},
                    },
                }
            ],
            "metadata": request.metadata,
            "payment_intent_data": {"metadata": request.metadata},
            "expires_at": int(request.expires_at.timestamp()),
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
        }
        return self._call(
            lambda: self._client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        )

    def retrieve_checkout(self, session_id: str) -> Checkout:
        return self._call(lambda: self._client.v1.checkout.sessions.retrieve(session_id))

    def expire_checkout(self, session_id: str) -> Checkout:
        return self._call(lambda: self._client.v1.checkout.sessions.expire(session_id))

    def _call(self, call: Any) -> Checkout:
        try:
            return checkout_of(call())
        except stripe.StripeError as exc:
            # Stripe's own advice: retry what it could not answer, never what it refused.
            retry = isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError) or (
                exc.http_status is not None and exc.http_status >= 500
            )
            raise GatewayError(exc.user_message or str(exc), retry=retry) from exc


def checkout_of(session: Any) -> Checkout:
    """A Checkout Session (an SDK object, or an event's plain ``data.object``) as data."""
    data = session.to_dict() if hasattr(session, "to_dict") else dict(session)
    if data.get("status") == "complete" and data.get("payment_status") == "paid":
        state = SessionState.PAID
    elif data.get("status") == "expired":
        state = SessionState.EXPIRED
    else:
        state = SessionState.OPEN
    intent = data.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    return Checkout(
        id=str(data["id"]),
        url=data.get("url"),
        state=state,
        expires_at=datetime.fromtimestamp(int(data["expires_at"]), UTC),
        amount_pence=int(data.get("amount_total") or 0),
        currency=str(data.get("currency") or "").upper(),
        payment_ref=intent,
        metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
    )
