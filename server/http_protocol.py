"""uvicorn's HTTP protocol with TCP_NODELAY always on.

With ``--workers N`` uvicorn binds the listening socket itself with ``proto``
left at 0; accepted sockets inherit it and asyncio then skips TCP_NODELAY, so
Nagle's algorithm holds each response's body until the client's delayed ACK,
about 40 ms per keep-alive request on Linux (uvicorn issue #3149, open).

httptools (C) parses requests when it is installed, as uvicorn's "auto" would
choose; h11 (pure Python) otherwise.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Parser
except ImportError:  # pragma: no cover - httptools is optional
    _Parser = H11Protocol  # type: ignore[assignment,misc]

# What `backroom-server serve` hands uvicorn as its HTTP protocol.
HTTP_PROTOCOL = "server.http_protocol:NoDelayProtocol"


def _no_delay(transport: asyncio.BaseTransport) -> None:
    sock: Any = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayProtocol(_Parser):  # type: ignore[misc,valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
