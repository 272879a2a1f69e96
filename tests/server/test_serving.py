"""`backroom-server serve --workers N`: every keep-alive answer goes out at once."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

from server.app import create_app
from server.http_protocol import HTTP_PROTOCOL
from server.settings import Settings
from tests.server.uvicorn_server import free_port


def test_a_socket_bound_the_way_several_workers_share_it_still_sends_without_nagle_delay(
    seeded_url,
):
    # uvicorn's multi-worker supervisor binds the socket itself (proto 0), which
    # makes asyncio skip TCP_NODELAY: each answer then waits ~40 ms for an ACK.
    config = uvicorn.Config(
        create_app(Settings(database_url=seeded_url)),
        host="127.0.0.1",
        port=free_port(),
        http=HTTP_PROTOCOL,
        log_level="warning",
    )
    shared = config.bind_socket()
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [shared]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)

    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{config.port}") as client:
            answers = [client.get("/health").status_code for _ in range(3)]
            served = [c.transport.get_extra_info("socket") for c in server.server_state.connections]
            nodelay = [s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in served]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        shared.close()

    assert shared.proto == 0  # the case uvicorn itself gets wrong
    assert answers == [200, 200, 200]
    assert len(nodelay) == 1 and nodelay[0] != 0
