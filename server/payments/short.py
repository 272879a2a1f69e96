"""The short payment link an SMS carries: ``GET /p/{token}`` redirects to the Checkout page.

A Stripe Checkout URL is ~150 characters, and an SMS has room for a link of at most
32 (app.domain.messages.facts.SMS_LINK_CHARS): ``{BACKROOM_PUBLIC_URL}/p/{token}``
fits when the public URL is at most 21 characters (``https://backroom.bar`` is 20);
a longer one makes the SMS say "the link in our email" instead. The token is
``secrets.token_urlsafe(6)``: 8 characters, 48 random bits, made when the link is asked
for; a guess hits one of the few live links of a night with odds of about 10⁻¹³ a try,
and a link lives a day at most. While the link can be paid the answer is a 303 to
Stripe's page; paid, expired or failed it is a 410 with a plain page that says so.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from app.domain.deposit_links import RequestStatus
from server.payments.models import DepositRequest

TOKEN_BYTES = 6
router = APIRouter(tags=["payments"])

GONE = {
    RequestStatus.PAID: "This deposit is already paid. Thank you: there is nothing more to do.",
    RequestStatus.HELD: "This deposit is already secured on your card. Nothing more to do.",
    RequestStatus.CARD_SAVED: "Your card is already saved for this booking. There is nothing "
    "more to do.",
}
EXPIRED = (
    "This payment link has expired. Please contact the venue if you would still like "
    "to keep your booking."
)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def short_link(public_url: str, token: str | None) -> str | None:
    return f"{public_url.rstrip('/')}/p/{token}" if token else None


def answer(request: DepositRequest | None, now: datetime) -> Response:
    """Where the token leads now."""
    if request is None:
        return PlainTextResponse("There is no payment link at this address.", status_code=404)
    status = RequestStatus(request.status)
    live = request.expires_at is None or request.expires_at > now
    if status is RequestStatus.OPEN and request.url and live:
        return RedirectResponse(request.url, status_code=303)
    if status is RequestStatus.REQUESTED and live:
        return PlainTextResponse(
            "This payment link is still being made; try again in a minute.", status_code=409
        )
    return PlainTextResponse(GONE.get(status, EXPIRED), status_code=410)


@router.get("/p/{token}", response_class=PlainTextResponse, include_in_schema=False)
async def follow(token: str, request: Request) -> Response:
    """A guest's short payment link (from an SMS)."""
    app = request.app

    def find() -> Response:
        with app.state.sessions() as session:
            found = session.scalars(
                select(DepositRequest).where(DepositRequest.short_token == token[:64])
            ).first()
            return answer(found, app.state.clock.now())

    return await run_in_threadpool(find)
