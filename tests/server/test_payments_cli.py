"""``backroom-server payments reconcile``, run as an operator would (cron), against the fake."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.server.payments_harness import deposit_requests, ledger, request_link
from tests.server.test_cli import ROOT
from tests.server.test_deposit_links import eight_tonight


def reconcile(url: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "payments", "reconcile"],
        env={**os.environ, "BACKROOM_DATABASE_URL": url, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_reconcile_from_the_command_line_marks_paid_a_link_whose_webhook_was_lost(
    paying, stripe_fake, seeded_url
):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.drop()

    done = reconcile(
        seeded_url,
        BACKROOM_STRIPE_API_KEY=stripe_fake.api_key,
        BACKROOM_STRIPE_API_BASE=stripe_fake.url,
    )

    assert done.returncode == 0, done.stderr
    assert "Asked Stripe about 1 link(s): 1 changed" in done.stdout
    assert desk.bookings()[str(booking_id)]["deposit_state"] == "paid"
    assert len(ledger(desk)) == 1


def test_reconcile_on_a_server_without_stripe_says_so_without_a_traceback(seeded_url):
    done = reconcile(seeded_url, BACKROOM_STRIPE_API_KEY="")

    assert done.returncode == 1
    assert "payments are not set up on this server" in done.stderr
    assert "Traceback" not in done.stderr
