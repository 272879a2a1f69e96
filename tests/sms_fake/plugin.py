"""Pytest fixtures for the SMS fake and for a webhook receiver the fake can post to.

Import them in a conftest (``from tests.sms_fake.plugin import *``): ``sms_fake`` is one
process per test session, emptied before each test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from tests.sms_fake.client import SmsFake
from tests.sms_fake.processes import free_port, start_sms_fake, stop

__all__ = ["Received", "_sms_fake_url", "sms_fake", "sms_receiver"]


@pytest.fixture(scope="session")
def _sms_fake_url() -> Iterator[str]:
    port = free_port()
    process = start_sms_fake(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture
def sms_fake(_sms_fake_url: str) -> SmsFake:
    fake = SmsFake(_sms_fake_url)
    fake.reset()
    return fake


@dataclass
class Received:
    url: str
    posts: list[tuple[str, list[tuple[str, str]], str]] = field(default_factory=list)


@pytest.fixture
def sms_receiver() -> Iterator[Received]:
    """An app's webhook endpoint: records the path, the form and the signature header."""
    received = Received("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.posts.append(
                (
                    self.path,
                    parse_qsl(body, keep_blank_values=True),
                    self.headers.get("X-Twilio-Signature", ""),
                )
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
