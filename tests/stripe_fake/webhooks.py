"""Webhook delivery, signed exactly as Stripe signs: ``Stripe-Signature: t=…,v1=…``.

v1 is the hex HMAC-SHA256 of ``f"{t}.{payload}"`` keyed with the endpoint's whole
``whsec_…`` secret (https://docs.stripe.com/webhooks#verify-manually). The payload is
sent pretty-printed, as Stripe sends it, so a receiver must verify the raw bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from tests.stripe_fake.store import Store


def signature_header(payload: str, secret: str, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def take(
    store: Store, event_ids: list[str] | None
) -> tuple[list[tuple[str, str]], str | None, str]:
    """Under the lock: the payloads to send (pending ones by default) and where to."""
    with store.lock:
        ids = list(store.pending) if event_ids is None else event_ids
        for event_id in ids:
            store.get("event", event_id)
            if event_id in store.pending:
                store.pending.remove(event_id)
        payloads = [(i, json.dumps(store.objects[i], indent=2)) for i in ids]
        return payloads, store.webhook.url, store.webhook.secret


def deliver(
    store: Store,
    event_ids: list[str] | None = None,
    *,
    signed_at: int | None = None,
    secret: str | None = None,
) -> list[dict[str, Any]]:
    """Sends each event once, in the order given, outside the lock (the receiver may well
    call the fake back while it handles one). Returns what the receiver answered."""
    payloads, url, configured = take(store, event_ids)
    results = []
    for event_id, payload in payloads:
        if url is None:
            results.append({"event": event_id, "status": None, "error": "no webhook URL"})
            continue
        t = store.now() if signed_at is None else signed_at
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": signature_header(payload, secret or configured, t),
        }
        try:
            answer = httpx.post(url, content=payload.encode(), headers=headers, timeout=30)
            result = {"event": event_id, "status": answer.status_code, "error": None}
        except httpx.HTTPError as e:
            result = {"event": event_id, "status": None, "error": str(e)}
        with store.lock:
            store.deliveries.append({**result, "signed_at": t})
            status = result["status"]
            if status is not None and 200 <= status < 300 and event_id in store.objects:
                event = store.objects[event_id]
                event["pending_webhooks"] = max(0, event["pending_webhooks"] - 1)
        results.append(result)
    return results
