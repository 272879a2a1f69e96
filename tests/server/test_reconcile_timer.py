"""The server reconciles on a timer of its own: a lost webhook and a deadline passed with no
word from Stripe are made good with nobody running the command. The real app on a uvicorn
socket (its lifespan starts and stops the timer), the real SDK against the Stripe fake,
every pass a fifth of a second apart."""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from server.app import create_app
from server.payments.timer import LOCK_KEY
from server.settings import Settings
from tests.server.harness import FakeClock, Seed, Server
from tests.server.payments_harness import deposit_requests, ledger, paying_server, request_link
from tests.server.test_deposit_expiry import hour_long_link, pass_the_deadline
from tests.server.test_deposit_links import eight_tonight

QUICK = 0.2


@pytest.fixture
def ticking(
    seeded_url: str, seeded: tuple[str, Seed], clock: FakeClock, stripe_fake
) -> Iterator[Server]:
    with paying_server(
        seeded_url, clock, seeded[1], stripe_fake, payments_reconcile_seconds=QUICK
    ) as running:
        yield running


@pytest.fixture
def paying_once(
    seeded_url: str, seeded: tuple[str, Seed], clock: FakeClock, stripe_fake
) -> Iterator[Server]:
    """A server whose own timer is off, so that only the command reconciles."""
    with paying_server(
        seeded_url, clock, seeded[1], stripe_fake, payments_reconcile_seconds=0
    ) as running:
        yield running


def eventually(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the server's timer did not get there"
        time.sleep(0.05)


@contextlib.contextmanager
def another_instances_pass(database_url: str) -> Iterator[None]:
    """Another server process holding the reconciliation's lock, as its pass would."""
    with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        yield
        conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def paid_but_lost(server: Server, stripe_fake) -> tuple[object, uuid.UUID]:
    desk = server.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.drop()
    return desk, booking_id


def deposit_state(desk, booking_id: uuid.UUID) -> str:
    return str(desk.bookings()[str(booking_id)]["deposit_state"])


def test_a_lost_webhook_is_made_good_by_the_servers_own_timer(ticking, stripe_fake):
    desk, booking_id = paid_but_lost(ticking, stripe_fake)

    eventually(lambda: deposit_state(desk, booking_id) == "paid")

    assert len(ledger(desk)) == 1
    assert stripe_fake.deliveries() == []


def test_a_link_past_its_deadline_with_no_webhook_releases_its_booking_on_the_timer(
    ticking, stripe_fake, clock
):
    desk, booking_id, _ = hour_long_link(ticking)
    stripe_fake.drop()

    pass_the_deadline(clock, stripe_fake)
    stripe_fake.drop()

    eventually(lambda: desk.bookings()[str(booking_id)]["status"] == "cancelled")
    [link] = deposit_requests(desk).values()
    assert link["status"] == "expired" and link["released_at"] is not None


def test_while_another_instance_runs_a_pass_this_one_skips_its_turns(
    ticking, stripe_fake, seeded_url
):
    timer = ticking.app.state.reconcile_timer
    with another_instances_pass(seeded_url):
        desk, booking_id = paid_but_lost(ticking, stripe_fake)
        skipped = timer.skipped
        eventually(lambda: timer.skipped >= skipped + 3)
        assert deposit_state(desk, booking_id) == "requested"

    eventually(lambda: deposit_state(desk, booking_id) == "paid")
    assert len(ledger(desk)) == 1


def test_a_pass_that_fails_is_logged_and_the_next_one_makes_good_what_it_could_not(
    ticking, stripe_fake, seeded_url, caplog
):
    timer = ticking.app.state.reconcile_timer
    with another_instances_pass(seeded_url):
        desk, booking_id = paid_but_lost(ticking, stripe_fake)
        with ticking.app.state.sessions() as session, session.begin():
            session.execute(text("ALTER TABLE venue_versions RENAME TO vv"))
    caplog.set_level(logging.ERROR, logger="backroom.payments")

    eventually(lambda: timer.failures >= 2)
    with ticking.app.state.sessions() as session, session.begin():
        session.execute(text("ALTER TABLE vv RENAME TO venue_versions"))

    eventually(lambda: deposit_state(desk, booking_id) == "paid")
    assert "The payments reconciliation failed" in caplog.text
    assert ticking.client.get("/health").status_code == 200


def test_the_timer_is_off_at_zero_and_on_a_server_without_stripe(seeded_url, stripe_fake):
    off = Settings(
        database_url=seeded_url,
        stripe_api_key=stripe_fake.api_key,
        stripe_api_base=stripe_fake.url,
        payments_reconcile_seconds=0,
    )
    unpaid = Settings(database_url=seeded_url, payments_reconcile_seconds=QUICK)

    for settings in (off, unpaid):
        app = create_app(settings)
        with TestClient(app):
            assert app.state.reconcile_timer is None


def test_shutting_down_stops_the_timer(seeded_url, stripe_fake):
    settings = Settings(
        database_url=seeded_url,
        stripe_api_key=stripe_fake.api_key,
        stripe_api_base=stripe_fake.url,
        payments_reconcile_seconds=QUICK,
    )
    app = create_app(settings)
    with TestClient(app):
        timer = app.state.reconcile_timer
        eventually(lambda: timer.passes >= 2)

    assert timer._task is not None and timer._task.done()
    assert timer.failures == 0


def test_the_command_does_nothing_while_another_pass_runs_and_reconciles_after_it(
    paying_once, stripe_fake, seeded_url
):
    from tests.server.test_payments_cli import reconcile

    desk, booking_id = paid_but_lost(paying_once, stripe_fake)
    keys = {
        "BACKROOM_STRIPE_API_KEY": stripe_fake.api_key,
        "BACKROOM_STRIPE_API_BASE": stripe_fake.url,
    }

    with another_instances_pass(seeded_url):
        skipped = reconcile(seeded_url, **keys)
    done = reconcile(seeded_url, **keys)

    assert skipped.returncode == 0, skipped.stderr
    assert "A reconciliation is running already" in skipped.stdout
    assert done.returncode == 0, done.stderr
    assert "1 changed" in done.stdout
    assert deposit_state(desk, booking_id) == "paid"
