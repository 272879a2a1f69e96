"""The test-only control API under /_fake: what a test (or a demo) does that Stripe's
own dashboard, clock or guests would do."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tests.stripe_fake import checkout, refunds, webhooks
from tests.stripe_fake.store import Store
from tests.stripe_fake.wire import StripeError


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    return json.loads(raw) if raw.strip() else {}


def routes(store: Store) -> list[Route]:
    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def reset(request: Request) -> Response:
        store.reset()
        return JSONResponse({"ok": True})

    async def clock(request: Request) -> Response:
        body = await _json(request) if request.method == "POST" else {}
        with store.lock:
            if "now" in body:
                store.set_now(int(body["now"]))
            store.offset += float(body.get("advance", 0))
            checkout.expire_due(store)
            now, auto = store.now(), store.webhook.mode == "auto" and bool(store.pending)
        if auto:
            await run_in_threadpool(webhooks.deliver, store)
        return JSONResponse({"now": now})

    async def counts(request: Request) -> Response:
        with store.lock:
            return JSONResponse({"objects": dict(store.created), "calls": dict(store.calls)})

    async def pay(request: Request) -> Response:
        body = await _json(request)
        try:
            with store.lock:
                session = checkout.pay(
                    store,
                    request.path_params["id"],
                    str(body.get("card", "4242424242424242")),
                    body.get("email"),
                )
                auto = store.webhook.mode == "auto"
        except StripeError as e:
            return JSONResponse(e.body, e.status)
        if auto:
            await run_in_threadpool(webhooks.deliver, store)
        return JSONResponse(session)

    async def fail_refund(request: Request) -> Response:
        """The guest's bank sends a refund back days later, as Stripe reports it."""
        body = await _json(request)
        try:
            with store.lock:
                made = refunds.fail(
                    store, request.path_params["id"], str(body.get("reason", "unknown"))
                )
                auto = store.webhook.mode == "auto"
        except StripeError as e:
            return JSONResponse(e.body, e.status)
        if auto:
            await run_in_threadpool(webhooks.deliver, store)
        return JSONResponse(made)

    async def configure(request: Request) -> Response:
        body = await _json(request)
        with store.lock:
            hook = store.webhook
            hook.url = body.get("url", hook.url)
            hook.secret = body.get("secret", hook.secret)
            hook.mode = body.get("mode", hook.mode)
            return JSONResponse({"url": hook.url, "secret": hook.secret, "mode": hook.mode})

    async def pending(request: Request) -> Response:
        with store.lock:
            return JSONResponse(
                [{"id": i, "type": store.objects[i]["type"]} for i in store.pending]
            )

    async def deliver(request: Request) -> Response:
        body = await _json(request)
        try:
            results = await run_in_threadpool(
                webhooks.deliver,
                store,
                body.get("events"),
                signed_at=body.get("signed_at"),
                secret=body.get("secret"),
            )
        except StripeError as e:
            return JSONResponse(e.body, e.status)
        return JSONResponse(results)

    async def drop(request: Request) -> Response:
        body = await _json(request)
        with store.lock:
            ids = body.get("events")
            dropped = list(store.pending) if ids is None else [i for i in ids if i in store.pending]
            store.pending = [i for i in store.pending if i not in dropped]
        return JSONResponse(dropped)

    async def deliveries(request: Request) -> Response:
        with store.lock:
            return JSONResponse(store.deliveries)

    async def page(request: Request) -> Response:
        """The demo's stand-in for Stripe's hosted page: a guest types a card and pays."""
        session_id = request.path_params["id"]
        message = ""
        if request.method == "POST":
            form = dict(parse_qsl((await request.body()).decode()))
            message = await pay_for_page(session_id, form.get("card", ""))
        with store.lock:
            session = store.objects.get(session_id)
            if session is None or session["object"] != "checkout.session":
                return HTMLResponse("<p>No such checkout session.</p>", 404)
            amount, status = session["amount_total"], session["status"]
        return HTMLResponse(
            f"<!doctype html><title>Pay deposit</title><h1>Deposit £{amount / 100:.2f}</h1>"
            f"<p>Status: {html.escape(status)}</p><p>{html.escape(message)}</p>"
            '<form method="post"><label>Card number <input name="card" '
            'value="4242424242424242"></label> <button>Pay</button></form>'
        )

    async def pay_for_page(session_id: str, card: str) -> str:
        try:
            with store.lock:
                checkout.pay(store, session_id, card or "4242424242424242", None)
                auto = store.webhook.mode == "auto"
        except StripeError as e:
            return str(e)
        if auto:
            await run_in_threadpool(webhooks.deliver, store)
        return "Paid, thank you."

    return [
        Route("/_fake/health", health, methods=["GET"]),
        Route("/_fake/reset", reset, methods=["POST"]),
        Route("/_fake/clock", clock, methods=["GET", "POST"]),
        Route("/_fake/counts", counts, methods=["GET"]),
        Route("/_fake/checkout/sessions/{id}/pay", pay, methods=["POST"]),
        Route("/_fake/checkout/{id}", page, methods=["GET", "POST"]),
        Route("/_fake/refunds/{id}/fail", fail_refund, methods=["POST"]),
        Route("/_fake/webhook", configure, methods=["POST"]),
        Route("/_fake/webhook/pending", pending, methods=["GET"]),
        Route("/_fake/webhook/deliver", deliver, methods=["POST"]),
        Route("/_fake/webhook/drop", drop, methods=["POST"]),
        Route("/_fake/webhook/deliveries", deliveries, methods=["GET"]),
    ]
