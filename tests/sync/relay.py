"""An httpx transport that relays requests to another client, with faults on demand.

The inner client is the real server: Starlette's TestClient (the app
in-process) or a plain httpx.Client to a real uvicorn on loopback. Faults are
injected at the network's place in the stack, never inside our own code.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

Fault = Callable[[httpx.Request, Callable[[httpx.Request], httpx.Response]], httpx.Response]


def forward(inner: httpx.Client) -> Callable[[httpx.Request], httpx.Response]:
    def send(request: httpx.Request) -> httpx.Response:
        response = inner.send(request)
        content = response.read()
        return httpx.Response(
            response.status_code, headers=response.headers, content=content, request=request
        )

    return send


class Relay(httpx.BaseTransport):
    """Passes every request through ``fault`` (or straight on when there is none)."""

    def __init__(self, inner: httpx.Client) -> None:
        self.send = forward(inner)
        self.fault: Fault | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.fault is None:
            return self.send(request)
        return self.fault(request, self.send)


def relayed(inner: httpx.Client, base_url: str = "http://testserver") -> tuple[httpx.Client, Relay]:
    relay = Relay(inner)
    return httpx.Client(transport=relay, base_url=base_url), relay


def cut(request: httpx.Request, send: Callable[[httpx.Request], httpx.Response]) -> httpx.Response:
    """A network partition: nothing gets through."""
    raise httpx.ConnectError("network unreachable", request=request)


def lose_answer(
    request: httpx.Request, send: Callable[[httpx.Request], httpx.Response]
) -> httpx.Response:
    """The server does the work and commits, then the answer is lost on the way back."""
    send(request)
    raise httpx.ReadError("connection reset", request=request)
