"""``POST /v1/messages/sms/inbound`` (a guest's reply) and ``/status`` (delivery reports).

The provider calls these, not a desk: the credential is Twilio's signature of the
public URL and the form (server.messages.signature), not a token. A forged or missing
signature is 403, a replayed inbound message 409, a number no guest has 404; in each
case nothing changes.
"""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Security
from fastapi.responses import Response
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from app.domain.messages.replies import Action
from server.errors import described, error
from server.messages.inbound import Replayed, UnknownNumber, receive_sms
from server.messages.models import InboundSms
from server.messages.outbox import apply_report
from server.messages.signature import valid_signature
from server.settings import Settings

router = APIRouter(prefix="/v1/messages/sms", tags=["messages"])
NOT_SET_UP = "SMS is not set up on this server (no SMS account)."
TwilioSignature = APIKeyHeader(
    name="X-Twilio-Signature",
    auto_error=False,
    description="The provider's HMAC-SHA1 of the public URL and the sorted form",
)
# An empty TwiML answer: the provider sends the guest no automatic reply.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def _signed_form(request: Request, signature: str | None) -> dict[str, str]:
    settings: Settings = request.app.state.settings
    token = settings.sms_auth_token.get_secret_value() if settings.sms_auth_token else ""
    if not token:
        raise error(409, NOT_SET_UP)
    raw = (await request.body()).decode("utf-8", errors="replace")
    params = parse_qsl(raw, keep_blank_values=True)
    # The URL the provider called, as the public sees it (not as a proxy hands it on).
    url = settings.public_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    if not valid_signature(token, url, params, signature):
        raise error(403, "The request is not signed by the SMS provider.")
    return dict(params)


@router.post("/inbound", responses=described(400, 403, 404, 409))
async def inbound(
    request: Request,
    signature: Annotated[str | None, Security(TwilioSignature)] = None,
) -> Response:
    """A guest's SMS. Kept on the booking it answers; STOP suppresses the number at once;
    1 / 9 are parsed for the booking (acting on them is the sync judges')."""
    form = await _signed_form(request, signature)
    sid, number, body = form.get("MessageSid"), form.get("From"), form.get("Body")
    if not sid or not number or body is None:
        raise error(400, "An inbound SMS needs MessageSid, From and Body.")
    app = request.app

    def receive() -> None:
        with app.state.sessions() as session, session.begin():
            received = receive_sms(
                session, sid=sid, from_number=number, body=body, at=app.state.clock.now()
            )
            judge = getattr(app.state, "reply_judge", None)
            kept = judge(session, received.venue_id, received.reply) if judge else None
            if isinstance(kept, str):
                # Not acted on: shown to staff on the booking, with the reason.
                session.flush()
                row = session.get(InboundSms, sid)
                if row is not None:
                    row.action, row.why = Action.STAFF.value, kept

    try:
        await run_in_threadpool(receive)
    except Replayed:
        raise error(409, f"Message {sid} was already received.") from None
    except UnknownNumber:
        raise error(404, "No guest has this number.") from None
    return Response(EMPTY_TWIML, media_type="application/xml")


@router.post("/status", responses=described(400, 403, 404, 409))
async def status(
    request: Request,
    message: uuid.UUID,
    signature: Annotated[str | None, Security(TwilioSignature)] = None,
) -> dict[str, str]:
    """A delivery report (queued, sent, delivered, failed, undelivered) for our message."""
    form = await _signed_form(request, signature)
    sid, reported = form.get("MessageSid"), form.get("MessageStatus")
    if not sid or not reported:
        raise error(400, "A status report needs MessageSid and MessageStatus.")
    app = request.app

    def apply() -> bool:
        with app.state.sessions() as session, session.begin():
            return apply_report(
                session, message, sid, reported, form.get("ErrorCode"), app.state.clock.now()
            )

    if not await run_in_threadpool(apply):
        raise error(404, "No message of ours was sent under that id.")
    return {"result": "applied"}
