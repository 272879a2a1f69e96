"""A webhook endpoint for the fakes' own tests: records each delivery's raw body and headers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Inbox:
    url: str
    received: list[tuple[bytes, str]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def webhook_inbox() -> Iterator[Inbox]:
    inbox = Inbox("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            inbox.received.append((body, self.headers.get("Stripe-Signature", "")))
            self.send_response(inbox.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    inbox.url = f"http://127.0.0.1:{server.server_address[1]}/v1/payments/webhook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()
