"""``POST /v1/payments/webhook`` (Stripe's events) and the page a guest returns to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Security
from fastapi.responses import PlainTextResponse
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from server.errors import described, error
from server.payments.gateway import GatewayError
from server.payments.webhook import BadSignature, apply_event, verified_event

router = APIRouter(prefix="/v1/payments", tags=["payments"])
NOT_SET_UP = "Payments are not set up on this server (no Stripe webhook secret)."
# Stripe's signature is this endpoint's credential (no staff or desk token).
StripeSignature = APIKeyHeader(
    name="Stripe-Signature",
    auto_error=False,
    description="Stripe's signature of the raw body with the endpoint's whsec_ secret",
)


@router.post("/webhook", responses=described(400, 409, 503))
async def webhook(
    request: Request,
    stripe_signature: Annotated[str | None, Security(StripeSignature)] = None,
) -> dict[str, str]:
    """A Stripe event, signed. 200 once applied, already applied, or not ours to apply;
    400 for a forged or stale signature (nothing changed); 409 where payments are off."""
    settings = request.app.state.settings
    if settings.stripe_webhook_secret is None:
        raise error(409, NOT_SET_UP)
    if not stripe_signature:
        raise error(400, "A Stripe webhook must carry a Stripe-Signature header.")
    payload = await request.body()
    now = request.app.state.clock.now()
    try:
        event = verified_event(
            payload,
            stripe_signature,
            settings.stripe_webhook_secret.get_secret_value(),
            now,
            settings.stripe_webhook_tolerance_seconds,
        )
    except BadSignature as refused:
        raise error(400, str(refused)) from None
    payments = request.app.state.payments
    gateway = payments.gateway if payments is not None else None
    try:
        result = await run_in_threadpool(
            apply_event, request.app.state.sessions, event, now, gateway, settings.public_url
        )
    except GatewayError as trouble:
        raise error(
            503, f"Stripe could not be asked about this event; retry. ({trouble})"
        ) from None
    return {"result": result}


@router.get("/done", response_class=PlainTextResponse, include_in_schema=False)
async def done(booking: str = "", cancelled: str = "") -> str:
    """Where the guest's browser lands after Stripe's page."""
    if cancelled:
        return (
            f"Your deposit for booking {booking} was not paid. "
            "The link stays open until it expires."
        )
    return f"Thank you: your deposit for booking {booking} is paid. See you soon."
