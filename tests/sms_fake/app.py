"""The fake's HTTP face: the Messages resource under /2010-04-01 and the /_fake controls."""

from __future__ import annotations

import base64
import json
import re
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.sms_fake.store import (
    API_VERSION,
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    Failure,
    Store,
)
from tests.sms_fake.wire import error, form, sign

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
FINAL_ERRORS = {"failed": 30008, "undelivered": 30003}


def _authorised(request: Request, store: Store) -> bool:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("basic "):
        return False
    try:
        sid, _, token = base64.b64decode(auth[6:]).decode().partition(":")
    except ValueError:
        return False
    return sid == store.account_sid == request.path_params["sid"] and token == store.auth_token


def _post(store: Store, what: str, url: str, params: dict[str, str], token: str) -> dict:
    """Posts as Twilio posts to an app (a form, signed); records what came back."""
    request = form(url, params, sign(token, url, params))
    try:
        answer = httpx.post(request["url"], data=params, headers=request["headers"], timeout=30)
        result = {"what": what, "status": answer.status_code, "body": answer.text[:500]}
    except httpx.HTTPError as e:
        result = {"what": what, "status": None, "body": str(e)}
    result |= {"url": url, "params": params}
    with store.lock:
        store.posts.append(result)
    return result


def api_routes(store: Store) -> list[Route]:
    async def create(request: Request) -> Response:
        if not _authorised(request, store):
            return error(401, 20003, "Authenticate")
        # Parsed by hand: Starlette's form parser needs python-multipart, not installed.
        data = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        with store.lock:
            store.create_requests += 1
            if store.failures:
                f = store.failures.popleft()
                return error(f.status, f.code or 20500, f.message)
            to, from_, body = data.get("To", ""), data.get("From", ""), data.get("Body", "")
            if not E164.match(str(to)):
                return error(400, 21211, f"Invalid 'To' Phone Number: {to}")
            if from_ != store.from_number:
                return error(
                    400,
                    21606,
                    f"The From phone number {from_} is not a valid, SMS-capable inbound phone "
                    "number or short code for your account.",
                )
            if not str(body).strip():
                return error(400, 21602, "Message body is required.")
            if to in store.opted_out:
                return error(400, 21610, "Attempt to send to unsubscribed recipient")
            message = store.resource(
                to=str(to),
                from_=str(from_),
                body=str(body),
                direction="outbound-api",
                status="queued",
            )
            if data.get("StatusCallback"):
                store.callbacks[message["sid"]] = str(data["StatusCallback"])
        return JSONResponse(message, 201)

    async def listing(request: Request) -> Response:
        if not _authorised(request, store):
            return error(401, 20003, "Authenticate")
        q = request.query_params
        with store.lock:
            found = [
                m
                for m in reversed(store.messages.values())  # newest first, as Twilio lists
                if (not q.get("To") or m["to"] == q["To"])
                and (not q.get("From") or m["from"] == q["From"])
                and (not q.get("DateSent>") or _day(m) >= q["DateSent>"])
            ]
        size = int(q.get("PageSize", 50))
        return JSONResponse(
            {
                "messages": found[:size],
                "page": 0,
                "page_size": size,
                "first_page_uri": str(request.url.path),
                "next_page_uri": None,
                "previous_page_uri": None,
                "uri": str(request.url.path),
                "end": min(size, len(found)) - 1,
                "start": 0,
            }
        )

    async def one(request: Request) -> Response:
        if not _authorised(request, store):
            return error(401, 20003, "Authenticate")
        with store.lock:
            message = store.messages.get(request.path_params["message"])
        if message is None:
            return error(404, 20404, "The requested resource was not found")
        return JSONResponse(message)

    base = "/2010-04-01/Accounts/{sid}/Messages"
    return [
        Route(base + ".json", create, methods=["POST"]),
        Route(base + ".json", listing, methods=["GET"]),
        Route(base + "/{message}.json", one, methods=["GET"]),
    ]


def _day(message: dict[str, Any]) -> str:
    return parsedate_to_datetime(message["date_created"]).date().isoformat()


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    return json.loads(raw) if raw.strip() else {}


def control_routes(store: Store) -> list[Route]:
    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def reset(request: Request) -> Response:
        with store.lock:
            store.reset()
        return JSONResponse({"ok": True})

    async def sent(request: Request) -> Response:
        with store.lock:
            out = [m for m in store.messages.values() if m["direction"] == "outbound-api"]
            return JSONResponse({"messages": out, "create_requests": store.create_requests})

    async def fail(request: Request) -> Response:
        body = await _json(request)
        with store.lock:
            for _ in range(int(body.get("times", 1))):
                store.failures.append(
                    Failure(int(body["status"]), body.get("code"), body.get("message", "fake"))
                )
        return JSONResponse({"queued": len(store.failures)})

    async def status(request: Request) -> Response:
        """Moves an outbound message on (sent, delivered, failed, undelivered) and posts
        its status callback, as Twilio does."""
        body = await _json(request)
        sid, new = request.path_params["message"], str(body["status"])
        with store.lock:
            message = store.messages.get(sid)
            if message is None:
                return error(404, 20404, "The requested resource was not found")
            message["status"] = new
            message["error_code"] = FINAL_ERRORS.get(new)
            if new in ("sent", "delivered"):
                message["date_sent"] = message["date_sent"] or message["date_updated"]
            url = store.callbacks.get(sid)
            params = {
                "AccountSid": store.account_sid,
                "ApiVersion": API_VERSION,
                "From": message["from"],
                "MessageSid": sid,
                "MessageStatus": new,
                "SmsSid": sid,
                "SmsStatus": new,
                "To": message["to"],
            }
            if new in FINAL_ERRORS:
                params["ErrorCode"] = str(FINAL_ERRORS[new])
            token = body.get("token") or store.auth_token
        if url is None:
            return JSONResponse({"status": None, "body": "no StatusCallback"})
        return JSONResponse(await run_in_threadpool(_post, store, "status", url, params, token))

    async def inbound(request: Request) -> Response:
        """A guest texts the venue's number: Twilio's inbound webhook, posted to ``url``.
        ``replay``: the same MessageSid and parameters again; ``token``: a forged signature."""
        body = await _json(request)
        with store.lock:
            if body.get("replay"):
                params = dict(store.inbound[body["replay"]])
            else:
                from_, text = str(body["from"]), str(body["body"])
                message = store.resource(
                    to=str(body.get("to") or store.from_number),
                    from_=from_,
                    body=text,
                    direction="inbound",
                    status="received",
                )
                word = text.strip().upper()
                if word in OPT_OUT_WORDS:
                    store.opted_out.add(from_)
                elif word in OPT_IN_WORDS:
                    store.opted_out.discard(from_)
                params = {
                    "AccountSid": store.account_sid,
                    "ApiVersion": API_VERSION,
                    "Body": text,
                    "From": from_,
                    "MessageSid": message["sid"],
                    "NumMedia": "0",
                    "NumSegments": "1",
                    "SmsMessageSid": message["sid"],
                    "SmsSid": message["sid"],
                    "SmsStatus": "received",
                    "To": message["to"],
                }
                store.inbound[message["sid"]] = params
            token = body.get("token") or store.auth_token
        result = await run_in_threadpool(_post, store, "inbound", str(body["url"]), params, token)
        return JSONResponse(result | {"sid": params["MessageSid"]})

    async def posts(request: Request) -> Response:
        with store.lock:
            return JSONResponse(list(store.posts))

    async def opted_out(request: Request) -> Response:
        with store.lock:
            return JSONResponse(sorted(store.opted_out))

    return [
        Route("/_fake/health", health),
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/sent", sent),
        Route("/_fake/fail", fail, methods=["POST"]),
        Route("/_fake/messages/{message}/status", status, methods=["POST"]),
        Route("/_fake/inbound", inbound, methods=["POST"]),
        Route("/_fake/posts", posts),
        Route("/_fake/opted_out", opted_out),
    ]


def create_app(store: Store) -> Starlette:
    return Starlette(routes=api_routes(store) + control_routes(store))
