"""uvicorn's HTTP protocol with TCP_NODELAY always on.

With ``--workers N`` uvicorn binds the listening socket itself with ``proto``
left at 0; accepted sockets inherit it and asyncio then skips TCP_NODELAY, so
Nagle's algorithm holds each response's body until the client's delayed ACK,
about 40 ms per keep-alive request on Linux (uvicorn issue #3149, open).
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

# What `backroom-server serve` hands uvicorn as its HTTP protocol.
HTTP_PROTOCOL = "server.http_protocol:NoDelayH11Protocol"


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
