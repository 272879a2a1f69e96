"""The fake's state: its objects, its clock, saved idempotent results and its events."""

from __future__ import annotations

import copy
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.stripe_fake.wire import StripeError, new_id

# The API version the fake's events say they were rendered with (stripe 16.1.0's own).
API_VERSION = "2026-10-28.endive"
# Stripe prunes a saved idempotent result once it is at least 24 hours old.
IDEMPOTENCY_TTL = 24 * 3600
DEFAULT_WEBHOOK_SECRET = "whsec_backroom_fake_0123456789abcdef"
# How Stripe's "No such ..." errors name the missing object's parameter.
PARAM_BY_KIND = {
    "checkout.session": "session",
    "payment_intent": "intent",
    "setup_intent": "intent",
    "payment_method": "payment_method",
    "customer": "customer",
    "refund": "refund",
    "charge": "charge",
    "event": "id",
}


@dataclass
class Saved:
    """An idempotent request's result, replayed for the same key within 24 hours."""

    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: dict[str, Any]
    request_id: str
    at: int


@dataclass
class Webhook:
    url: str | None = None
    secret: str = DEFAULT_WEBHOOK_SECRET
    # "manual": events wait in `pending` until a test delivers (or drops) them;
    # "auto": each is delivered once, in order, right after the request that made it.
    mode: str = "manual"


@dataclass
class RequestContext:
    id: str | None = None
    idempotency_key: str | None = None


@dataclass
class Store:
    lock: threading.RLock = field(default_factory=threading.RLock)
    offset: float = 0.0
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What the API never shows: a payment method's card number, whether it was set up.
    private: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: Counter[str] = field(default_factory=Counter)
    # API requests that ran an endpoint, and those answered by replaying a saved result.
    calls: Counter[str] = field(default_factory=Counter)
    saved: dict[tuple[str, str], Saved] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    webhook: Webhook = field(default_factory=Webhook)
    request: RequestContext = field(default_factory=RequestContext)

    def reset(self) -> None:
        with self.lock:
            fresh = Store()
            for name in (
                "offset",
                "objects",
                "private",
                "created",
                "calls",
                "saved",
                "events",
                "pending",
                "deliveries",
                "webhook",
                "request",
            ):
                setattr(self, name, getattr(fresh, name))

    # The clock: wall time plus whatever a test moved it by, so that by default the
    # signatures it makes pass stripe.Webhook.construct_event's 300 s tolerance.
    def now(self) -> int:
        return int(time.time() + self.offset)

    def set_now(self, unix: int) -> None:
        self.offset = unix - time.time()

    def add(self, obj: dict[str, Any]) -> dict[str, Any]:
        obj.setdefault("created", self.now())
        obj.setdefault("livemode", False)
        self.objects[obj["id"]] = obj
        self.created[obj["object"]] += 1
        return obj

    def get(self, kind: str, id: str, param: str | None = None) -> dict[str, Any]:
        obj = self.objects.get(id)
        if obj is None or obj["object"] != kind:
            raise StripeError(
                f"No such {kind}: '{id}'",
                code="resource_missing",
                param=param or PARAM_BY_KIND.get(kind, "id"),
                status=404,
            )
        return obj

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o["object"] == kind]

    def emit(self, type: str, obj: dict[str, Any], previous: dict | None = None) -> dict:
        """Records an event with a snapshot of ``obj`` as it is now."""
        data: dict[str, Any] = {"object": copy.deepcopy(obj)}
        if previous:
            data["previous_attributes"] = previous
        event = self.add(
            {
                "id": new_id("evt_"),
                "object": "event",
                "api_version": API_VERSION,
                "data": data,
                "pending_webhooks": 1 if self.webhook.url else 0,
                "request": {"id": self.request.id, "idempotency_key": self.request.idempotency_key},
                "type": type,
            }
        )
        self.events.append(event["id"])
        if self.webhook.url:
            self.pending.append(event["id"])
        return event

    def prune_saved(self) -> None:
        cutoff = self.now() - IDEMPOTENCY_TTL
        for key in [k for k, s in self.saved.items() if s.at < cutoff]:
            del self.saved[key]
