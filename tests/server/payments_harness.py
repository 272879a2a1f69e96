"""A real server with payments set up, over HTTP on a loopback port, and the Stripe fake.

The server's clock is the tests' fixed instant; the fake's clock is set to the same
instant, so the links' expiry and the webhooks' signatures are judged on one clock.
The fake delivers its webhooks to this server's real socket.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import uvicorn

from app import protocol as p
from server.app import create_app
from server.settings import Settings
from tests.server.harness import VENUE_ID, Desk, FakeClock, Seed, Server
from tests.server.uvicorn_server import free_port
from tests.stripe_fake.client import StripeFake


@contextlib.contextmanager
def paying_server(
    database_url: str, clock: FakeClock, seed: Seed, fake: StripeFake, **extra: Any
) -> Iterator[Server]:
    fake.set_now(int(clock.now().timestamp()))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=database_url,
        stripe_api_key=fake.api_key,
        stripe_webhook_secret=fake.webhook_secret,
        stripe_api_base=fake.url,
        public_url=url,
        **extra,
    )
    app = create_app(settings, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    fake.configure_webhook(f"{url}/v1/payments/webhook", mode="manual")
    client = httpx.Client(base_url=url, timeout=30)
    try:
        yield Server(client, app, VENUE_ID, dict(seed.staff), dict(seed.tokens))  # type: ignore[arg-type]
    finally:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)


def request_link(desk: Desk, booking_id: uuid.UUID, **kwargs: Any) -> dict[str, Any]:
    return desk.intent(p.IntentName.REQUEST_DEPOSIT, booking_id, {}, **kwargs)


def deposit_requests(desk: Desk) -> dict[str, dict[str, Any]]:
    changes, _ = desk.pull_all()
    return {c["id"]: c["data"] for c in changes if c["entity"] == "deposit_request"}


def ledger(desk: Desk) -> list[dict[str, Any]]:
    changes, _ = desk.pull_all()
    return [c["data"] for c in changes if c["entity"] == "deposit_ledger"]


def collect(sessions: Any, collection: str, now: Any) -> None:
    """The venue's deposit policy takes deposits now (``deposit_now``) or secures them on
    the guest's card (``guarantee``), set as an admin sets it: a new policy version."""
    from app.domain.deposit_policy_data import deposit_policy_to_dict
    from server.venues.models import Venue
    from server.venues.policy import current_policy, set_policy

    with sessions() as session, session.begin():
        for venue_id in session.scalars(__import__("sqlalchemy").select(Venue.id)):
            data = deposit_policy_to_dict(current_policy(session, venue_id))
            data = {k: v for k, v in data.items() if k != "version"} | {"collection": collection}
            set_policy(session, venue_id, data, set_by="test", now=now)
