"""The sign-in limit counts wrong passwords per name and address, per address and per name."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.server.harness import PASSWORD, VENUE_ID, start_server


def sign_in(server, address, username, password):
    client = TestClient(server.app, client=(address, 50000))
    return client.post(
        "/v1/auth/login",
        json={"venue_id": str(VENUE_ID), "username": username, "password": password},
    )


def test_guessing_many_names_from_one_address_locks_that_address_out(server):
    for n in range(20):
        sign_in(server, "203.0.113.9", f"guess{n}", "wrong password")

    attacker = sign_in(server, "203.0.113.9", "reception", PASSWORD)
    elsewhere = sign_in(server, "198.51.100.4", "reception", PASSWORD)

    assert attacker.status_code == 429
    assert attacker.json()["detail"].startswith("Too many failed sign-ins from this address.")
    assert 14 * 60 < int(attacker.headers["Retry-After"]) <= 15 * 60
    assert elsewhere.status_code == 200


def test_guessing_one_name_from_one_address_does_not_lock_its_owner_out_elsewhere(server):
    for _ in range(5):
        sign_in(server, "203.0.113.9", "reception", "wrong password")

    attacker = sign_in(server, "203.0.113.9", "reception", PASSWORD)
    owner = sign_in(server, "198.51.100.4", "reception", PASSWORD)

    assert attacker.status_code == 429
    assert "for 'reception' from this address" in attacker.json()["detail"]
    assert owner.status_code == 200


@pytest.fixture
def strict_server(seeded_url, seeded, clock):
    with start_server(seeded_url, clock, seeded[1], login_max_failures_per_name=6) as running:
        yield running


def test_a_name_guessed_at_from_many_addresses_is_locked_everywhere_but_only_briefly(
    strict_server, clock
):
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        for _ in range(2):
            sign_in(strict_server, address, "reception", "wrong password")

    locked = sign_in(strict_server, "198.51.100.4", "reception", PASSWORD)
    clock.advance(minutes=5, seconds=1)
    later = sign_in(strict_server, "198.51.100.4", "reception", PASSWORD)

    assert locked.status_code == 429
    assert "for 'reception' from several places" in locked.json()["detail"]
    assert int(locked.headers["Retry-After"]) <= 5 * 60
    assert later.status_code == 200


def test_a_right_password_starts_the_count_for_that_name_and_address_again(server):
    for _ in range(4):
        sign_in(server, "203.0.113.9", "reception", "wrong password")
    sign_in(server, "203.0.113.9", "reception", PASSWORD)
    for _ in range(4):
        sign_in(server, "203.0.113.9", "reception", "wrong password")

    answer = sign_in(server, "203.0.113.9", "reception", PASSWORD)

    assert answer.status_code == 200


def test_a_burst_of_wrong_passwords_gets_only_the_limits_worth_of_real_checks(seeded_url, clock):
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from server.settings import Settings
    from tests.server.uvicorn_server import serving

    def attempt(base: str, password: str) -> int:
        body = {"venue_id": str(VENUE_ID), "username": "reception", "password": password}
        return httpx.post(f"{base}/v1/auth/login", json=body, timeout=60).status_code

    with serving(Settings(database_url=seeded_url), clock) as base:
        with ThreadPoolExecutor(max_workers=30) as pool:
            # The right password arrives among the wrong ones, after the fifth.
            passwords = ["wrong password"] * 30 + [PASSWORD] + ["wrong password"] * 29
            answers = list(pool.map(lambda pw: attempt(base, pw), passwords))
        after = attempt(base, PASSWORD)

    assert answers.count(401) + answers.count(200) == 5
    assert answers.count(429) == 55
    assert answers[30] == 429  # the right password came too late in the burst
    assert after == 429
