"""The fake's HTTP face: Stripe's /v1 routes, idempotency as Stripe keeps it, and /_fake."""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.stripe_fake import cards, checkout, control, intents, refunds, setups, webhooks
from tests.stripe_fake.store import API_VERSION, Saved, Store
from tests.stripe_fake.wire import Params, StripeError, decode_form, invalid, new_id

Handler = Callable[..., Any]
MAX_KEY = 255


def _api_key(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        auth = "Bearer " + base64.b64decode(auth[6:]).decode().split(":")[0]
    key = auth[7:] if auth.lower().startswith("bearer ") else ""
    if not key:
        raise StripeError(
            "You did not provide an API key. You need to provide your API key "
            "in the Authorization header, using Bearer auth.",
            status=401,
        )
    if not key.startswith("sk_test_"):
        raise StripeError(
            f"Invalid API Key provided: {key[:8]}********", status=401, code="api_key_invalid"
        )
    return key


def _expand(store: Store, obj: Any, fields: list[str]) -> Any:
    if not isinstance(obj, dict):
        return obj
    shown = copy.deepcopy(obj)
    for name in fields:
        value = shown.get(name)
        if isinstance(value, str) and value in store.objects:
            shown[name] = copy.deepcopy(store.objects[value])
    return shown


def _as_list(path: str, items: list[dict[str, Any]], p: Params) -> dict[str, Any]:
    """Newest first, ``limit`` (1-100, default 10) and ``starting_after``, as Stripe pages."""
    items = list(reversed(items))  # the store keeps them oldest first
    after = p.str("starting_after")
    if after is not None:
        ids = [o["id"] for o in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    limit = p.int("limit") or 10
    if not 1 <= limit <= 100:
        raise invalid("Limit must be between 1 and 100.", param="limit")
    return {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": path}


def endpoint(
    store: Store,
    handler: Handler,
    allowed: set[str],
    *,
    with_id: bool = False,
    with_base: bool = False,
    listing: bool = False,
) -> Callable:
    async def run(request: Request) -> Response:
        request_id = new_id("req_")
        key = request.headers.get("idempotency-key") if request.method == "POST" else None
        headers = {"Request-Id": request_id, "Stripe-Version": API_VERSION}
        if key:
            headers["Idempotency-Key"] = key
        raw = await request.body() if request.method == "POST" else request.url.query
        try:
            api_key = _api_key(request)
            data = decode_form(raw)
        except StripeError as e:
            return JSONResponse(e.body, e.status, headers)
        with store.lock:
            checkout.expire_due(store)
            intents.lapse_due(store)
            store.prune_saved()
            store.request.id, store.request.idempotency_key = request_id, key
            status, body = _idempotent(
                store,
                request,
                api_key,
                key,
                data,
                request_id,
                headers,
                lambda: _call(store, request, handler, allowed, data, with_id, with_base, listing),
            )
            store.request.id = store.request.idempotency_key = None
            background = None
            if store.webhook.mode == "auto" and store.pending:
                background = BackgroundTask(webhooks.deliver, store)
        return JSONResponse(body, status, headers, background=background)

    return run


def _call(
    store: Store,
    request: Request,
    handler: Handler,
    allowed: set[str],
    data: dict[str, Any],
    with_id: bool,
    with_base: bool,
    listing: bool,
) -> Any:
    p = Params(data, allowed | {"limit", "starting_after", "ending_before"} if listing else allowed)
    args: list[Any] = [store]
    if with_id:
        args.append(request.path_params["id"])
    args.append(p)
    if with_base:
        args.append(str(request.base_url).rstrip("/"))
    result = handler(*args)
    if listing:
        return _as_list(request.url.path, result, p)
    expand = data.get("expand") or []
    return _expand(store, result, expand if isinstance(expand, list) else [expand])


def _idempotent(
    store: Store,
    request: Request,
    api_key: str,
    key: str | None,
    data: dict[str, Any],
    request_id: str,
    headers: dict[str, str],
    call: Callable[[], Any],
) -> tuple[int, Any]:
    """Stripe's rule: the first result for a key is saved once the endpoint has begun
    work (a request refused in validation saves nothing) and is replayed, status and
    body, for the same endpoint and parameters; anything else with that key is refused."""
    if key is not None and len(key) > MAX_KEY:
        e = invalid(f"Idempotency-Key must be at most {MAX_KEY} characters long.")
        return e.status, e.body
    saved = store.saved.get((api_key, key)) if key else None
    if saved is not None:
        if (saved.method, saved.path) != (request.method, request.url.path):
            return _refused(key, "for the same endpoint they were first used for")
        if saved.params != data:
            return _refused(key, "with the same parameters they were first used with")
        store.calls["replays"] += 1
        headers.update({"Idempotent-Replayed": "true", "Original-Request": saved.request_id})
        return saved.status, copy.deepcopy(saved.body)
    store.calls["requests"] += 1
    try:
        status, body, keep = 200, call(), True
    except StripeError as e:
        status, body, keep = e.status, e.body, e.saved
    if key and keep:
        store.saved[(api_key, key)] = Saved(
            request.method,
            request.url.path,
            data,
            status,
            copy.deepcopy(body),
            request_id,
            store.now(),
        )
    return status, body


def _refused(key: str, how: str) -> tuple[int, Any]:
    e = StripeError(
        f"Keys for idempotent requests can only be used {how}. Try using a key "
        f"other than '{key}' if you meant to execute a different request.",
        type="idempotency_error",
    )
    return e.status, e.body


def create_app(store: Store | None = None) -> Starlette:
    store = store or Store()

    def r(
        path: str,
        handler: Handler,
        allowed: set[str] | None = None,
        method: str = "POST",
        **kw: bool,
    ) -> Route:
        fn = endpoint(store, handler, allowed or set(), **kw)
        return Route(path, fn, methods=[method])

    def get(kind: str) -> Handler:
        return lambda s, id, p: s.get(kind, id)

    routes = [
        r("/v1/checkout/sessions", checkout.api_create, checkout.SESSION_PARAMS, with_base=True),
        r(
            "/v1/checkout/sessions",
            lambda s, p: [o for o in s.of_kind("checkout.session") if p.created(o)],
            {"payment_intent", "created"},
            "GET",
            listing=True,
        ),
        r("/v1/checkout/sessions/{id}", get("checkout.session"), method="GET", with_id=True),
        r(
            "/v1/checkout/sessions/{id}/expire",
            lambda s, id, p: checkout.expire(s, s.get("checkout.session", id)),
            with_id=True,
        ),
        r("/v1/payment_intents", intents.api_create_payment_intent, intents.PI_PARAMS),
        r(
            "/v1/payment_intents",
            lambda s, p: [o for o in s.of_kind("payment_intent") if p.created(o)],
            {"created"},
            "GET",
            listing=True,
        ),
        r("/v1/payment_intents/{id}", get("payment_intent"), method="GET", with_id=True),
        r(
            "/v1/payment_intents/{id}/confirm",
            intents.api_confirm,
            intents.CONFIRM_PARAMS,
            with_id=True,
        ),
        r(
            "/v1/payment_intents/{id}/capture",
            intents.api_capture,
            {"amount_to_capture", "metadata", "final_capture"},
            with_id=True,
        ),
        r(
            "/v1/payment_intents/{id}/cancel",
            intents.api_cancel,
            {"cancellation_reason"},
            with_id=True,
        ),
        r("/v1/setup_intents", setups.api_create, setups.SI_PARAMS),
        r("/v1/setup_intents/{id}", get("setup_intent"), method="GET", with_id=True),
        r(
            "/v1/setup_intents/{id}/confirm",
            setups.api_confirm,
            {"payment_method", "return_url"},
            with_id=True,
        ),
        r(
            "/v1/setup_intents/{id}/cancel",
            setups.api_cancel,
            {"cancellation_reason"},
            with_id=True,
        ),
        r("/v1/refunds", refunds.api_create, refunds.REFUND_PARAMS),
        r(
            "/v1/refunds",
            refunds.api_list,
            {"payment_intent", "charge", "created"},
            "GET",
            listing=True,
        ),
        r("/v1/refunds/{id}", get("refund"), method="GET", with_id=True),
        r("/v1/charges/{id}", get("charge"), method="GET", with_id=True),
        r("/v1/customers", cards.api_create_customer, cards.CUSTOMER_PARAMS),
        r("/v1/customers/{id}", get("customer"), method="GET", with_id=True),
        r("/v1/customers/{id}", cards.api_delete_customer, method="DELETE", with_id=True),
        r("/v1/payment_methods", cards.api_create_payment_method, cards.PM_PARAMS),
        r("/v1/payment_methods/{id}", get("payment_method"), method="GET", with_id=True),
        r("/v1/payment_methods/{id}/attach", cards.api_attach, {"customer"}, with_id=True),
        r(
            "/v1/events",
            lambda s, p: [
                e for e in s.of_kind("event") if p.str("type") in (None, e["type"]) and p.created(e)
            ],
            {"type", "created"},
            "GET",
            listing=True,
        ),
        r("/v1/events/{id}", get("event"), method="GET", with_id=True),
        *control.routes(store),
    ]
    app = Starlette(routes=routes)
    app.state.store = store
    return app
