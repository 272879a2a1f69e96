"""Pytest fixtures for the Stripe fakes; tests/conftest.py imports them for every test.

``stripe_fake``: our fake (tests/stripe_fake), one process per test session, emptied before
each test. ``localstripe``: the localstripe package as a process, skipped where it is not
installed except under CI=true, where its absence fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.stripe_fake.client import API_KEY, StripeFake
from tests.stripe_fake.processes import (
    LOCALSTRIPE_VERSION,
    free_port,
    localstripe_command,
    start_localstripe,
    start_stripe_fake,
    stop,
)


@pytest.fixture(scope="session")
def _stripe_fake_url() -> Iterator[str]:
    port = free_port()
    process = start_stripe_fake(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture
def stripe_fake(_stripe_fake_url: str) -> Iterator[StripeFake]:
    """The Stripe fake, empty, its clock at wall time, webhooks off until configured."""
    fake = StripeFake(_stripe_fake_url)
    fake.reset()
    yield fake
    fake.close()  # its kept client, so a long suite holds no socket per test


@dataclass
class Localstripe:
    url: str
    api_key: str = API_KEY

    def client(self, **options: Any) -> Any:
        import stripe  # the server extra's; a desk-only install never gets here

        options.setdefault("max_network_retries", 0)
        return stripe.StripeClient(self.api_key, base_addresses={"api": self.url}, **options)


@pytest.fixture(scope="session")
def _localstripe_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    command = localstripe_command()
    if command is None:
        reason = (
            f"localstripe is not installed (pip install localstripe=={LOCALSTRIPE_VERSION};"
            " the dev extra has it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: CI must run the localstripe tests")
        pytest.skip(reason)
    port = free_port()
    process = start_localstripe(command, port, tmp_path_factory.mktemp("localstripe"))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@pytest.fixture
def localstripe(_localstripe_url: str) -> Localstripe:
    """localstripe, emptied before each test."""
    httpx.delete(f"{_localstripe_url}/_config/data", timeout=10).raise_for_status()
    return Localstripe(_localstripe_url)
