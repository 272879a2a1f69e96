"""The desks' network leads to a real server with payments set up against the Stripe fake."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server.harness import FakeClock, Seed
from tests.server.payments_harness import paying_server
from tests.sync.relay import Relay, relayed


@pytest.fixture
def paying_url(sync_db: str, server_clock: FakeClock, stripe_fake) -> Iterator[str]:
    """The real app with Stripe set up against the fake, on a loopback socket (so the
    fake can deliver its webhooks to it); the fake's clock is set to the server's."""
    with paying_server(sync_db, server_clock, Seed(staff={}, tokens={}), stripe_fake) as server:
        yield str(server.client.base_url)


@pytest.fixture
def relay(paying_url: str) -> Iterator[Relay]:
    inner = httpx.Client(base_url=paying_url, timeout=30)
    client, relay = relayed(inner, base_url=paying_url)
    relay.client = client  # type: ignore[attr-defined]
    yield relay
    client.close()
    inner.close()
