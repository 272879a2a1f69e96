"""Each desk's link to the server, as an httpx transport that misbehaves on the scheduler's word.

The server behind the link is the real FastAPI app (Starlette's TestClient, an
httpx.Client); the link can be cut, lose an answer after the server committed,
send a request twice, hold a request back and deliver it after later ones, or
cut a push batch half-way while the server restarts.

Every push that reaches the server is noted (``Delivery``) with the server's
clock, which only moves between the scheduler's steps: an intent was judged at
the time of one of the deliveries that carried it, so the oracle can check the
instants the server stamps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import httpx


class OneShot(StrEnum):
    LOSE_ANSWER = "lose answer"
    DUPLICATE = "duplicate"
    DELAY = "delay"
    RESTART_MID_BATCH = "server restart mid-batch"


@dataclass
class Delayed:
    method: str
    url: str
    headers: list[tuple[str, str]]
    content: bytes


@dataclass(frozen=True)
class Delivery:
    """A push the server received: at its clock's time, the intents it carried, and
    those its answer gave an outcome for (None: an answer that says nothing, a 5xx)."""

    at: datetime
    sent: tuple[str, ...]
    answered: frozenset[str] | None


def delivery(at: datetime, body: bytes, status: int, answer: bytes) -> Delivery:
    sent = tuple(str(m["mutation_id"]) for m in json.loads(body).get("mutations", ()))
    answered: frozenset[str] | None = None
    if status == 200:
        answered = frozenset(str(o["mutation_id"]) for o in json.loads(answer)["outcomes"])
    elif status < 500:  # refused as a whole (bad input, 401, 426): nothing was judged
        answered = frozenset()
    return Delivery(at, sent, answered)


@dataclass
class Link(httpx.BaseTransport):
    """One desk's network. ``server`` is looked up per request, so a restart swaps it."""

    server: Callable[[], httpx.Client]
    restart_server: Callable[[], None]
    partitioned: bool = False
    next_fault: OneShot | None = None
    delayed: list[Delayed] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    # The server's clock, read when a push is delivered.
    clock: Callable[[], datetime] | None = None
    deliveries: list[Delivery] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.partitioned:
            raise httpx.ConnectError("partitioned", request=request)
        fault, self.next_fault = self.next_fault, None
        if fault is None:
            return self._send(request)
        self.log.append(f"{fault.value} {request.method} {request.url.path}")
        if fault is OneShot.LOSE_ANSWER:
            self._send(request)
            raise httpx.ReadError("connection reset after the server answered", request=request)
        if fault is OneShot.DUPLICATE:
            self._send(request)
            return self._send(request)
        if fault is OneShot.DELAY:
            self.delayed.append(
                Delayed(
                    request.method,
                    str(request.url),
                    list(request.headers.multi_items()),
                    request.read(),
                )
            )
            raise httpx.ConnectTimeout("held back in the network", request=request)
        return self._restart_mid_batch(request)

    def _restart_mid_batch(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if request.url.path == "/v1/sync/push":
            batch = json.loads(body)
            kept = batch["mutations"][: max(1, len(batch["mutations"]) // 2)]
            self._send(_rebuilt(request, json.dumps({**batch, "mutations": kept}).encode()))
        self.restart_server()
        raise httpx.RemoteProtocolError("server closed the connection", request=request)

    def deliver_delayed(self) -> int:
        """The held-back requests finally arrive (their answers go nowhere)."""
        held, self.delayed = self.delayed, []
        for d in held:
            request = httpx.Request(d.method, d.url, headers=d.headers, content=d.content)
            self._send(request)
        return len(held)

    def _send(self, request: httpx.Request) -> httpx.Response:
        at = self.clock() if self.clock is not None else None
        answer = self.server().send(request)
        content = answer.read()
        if at is not None and request.url.path == "/v1/sync/push":
            self.deliveries.append(delivery(at, request.read(), answer.status_code, content))
        return httpx.Response(
            answer.status_code, headers=answer.headers, content=content, request=request
        )


def _rebuilt(request: httpx.Request, content: bytes) -> httpx.Request:
    headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() != "content-length"]
    return httpx.Request(request.method, request.url, headers=headers, content=content)
