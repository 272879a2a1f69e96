"""Stripe's webhooks at POST /v1/payments/webhook: forged, stale, duplicated, unknown and
out-of-order deliveries leave the booking as Stripe has it, and change nothing else."""

from __future__ import annotations

import random
import uuid

from sqlalchemy import text

from server.payments.reconcile import reconcile
from tests.server.harness import Server, start_server
from tests.server.payments_harness import deposit_requests, ledger, request_link
from tests.server.test_deposit_links import eight_tonight


def paid_link(paying: Server, stripe_fake) -> tuple[object, uuid.UUID, list[dict]]:
    """A party of 8 whose guest has paid the link; the events wait to be delivered."""
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    return desk, booking_id, stripe_fake.pending()


def deposit_state(desk, booking_id: uuid.UUID) -> str:
    return desk.bookings()[str(booking_id)]["deposit_state"]


def test_a_forged_signature_is_refused_and_changes_nothing(paying, stripe_fake):
    desk, booking_id, _ = paid_link(paying, stripe_fake)

    answers = stripe_fake.deliver(secret="whsec_not_the_venues")

    assert {a["status"] for a in answers} == {400}
    assert deposit_state(desk, booking_id) == "requested"
    assert ledger(desk) == []


def test_a_delivery_signed_more_than_five_minutes_ago_is_refused(paying, stripe_fake, clock):
    desk, booking_id, _ = paid_link(paying, stripe_fake)

    answers = stripe_fake.deliver(signed_at=int(clock.now().timestamp()) - 301)

    assert {a["status"] for a in answers} == {400}
    assert deposit_state(desk, booking_id) == "requested"


def test_a_body_without_a_signature_is_refused_with_a_reason(paying):
    answer = paying.client.post("/v1/payments/webhook", content=b"{}")

    assert answer.status_code == 400
    assert "Stripe-Signature" in answer.json()["detail"]


def test_events_that_are_not_about_deposit_links_are_acknowledged_and_ignored(paying, stripe_fake):
    desk, booking_id, pending = paid_link(paying, stripe_fake)
    others = [e["id"] for e in pending if e["type"] != "checkout.session.completed"]

    answers = stripe_fake.deliver(others)

    assert others and {a["status"] for a in answers} == {200}
    assert deposit_state(desk, booking_id) == "requested"


def test_a_duplicated_completion_is_applied_once(paying, stripe_fake):
    desk, booking_id, pending = paid_link(paying, stripe_fake)
    [completed] = [e["id"] for e in pending if e["type"] == "checkout.session.completed"]

    answers = stripe_fake.deliver([completed, completed, completed])
    versions = {c["version"] for c in desk.pull_all()[0] if c["entity"] == "booking"}

    assert [a["status"] for a in answers] == [200, 200, 200]
    assert deposit_state(desk, booking_id) == "paid"
    assert len(ledger(desk)) == 1
    assert len(versions) == 1


def test_a_completion_before_the_link_was_stored_still_converges(paying, stripe_fake):
    desk, booking_id, _ = paid_link(paying, stripe_fake)
    # As if the server had crashed between Stripe's answer and writing the link.
    with paying.app.state.sessions() as session, session.begin():
        session.execute(
            text("UPDATE deposit_requests SET session_id = NULL, url = NULL, status = 'requested'")
        )

    stripe_fake.deliver()
    reconcile(paying.app.state.sessions, paying.app.state.payments)

    [link] = deposit_requests(desk).values()
    assert (link["status"], link["url"] is not None) == ("paid", True)
    assert deposit_state(desk, booking_id) == "paid"
    assert stripe_fake.counts()["checkout.session"] == 1
    assert len(ledger(desk)) == 1


def test_shuffled_and_duplicated_deliveries_all_end_paid_with_one_ledger_row(paying, stripe_fake):
    desk, booking_id, pending = paid_link(paying, stripe_fake)
    ids = [e["id"] for e in pending]
    rng = random.Random(14)

    for _ in range(10):
        order = ids * rng.randint(1, 3)
        rng.shuffle(order)
        stripe_fake.deliver(order)

    assert deposit_state(desk, booking_id) == "paid"
    assert len(ledger(desk)) == 1


def test_a_server_without_stripe_says_payments_are_not_set_up(seeded_url, seeded, clock):
    with start_server(seeded_url, clock, seeded[1]) as plain:
        desk = plain.desk()
        booking_id = eight_tonight(desk)

        refused = desk.push_one(request_link(desk, booking_id))
        webhook = plain.client.post(
            "/v1/payments/webhook", content=b"{}", headers={"Stripe-Signature": "t=1,v1=x"}
        )

        assert refused["outcome"] == "rejected"
        assert "Payments are not set up on this server" in refused["reason"]
        assert desk.bookings()[str(booking_id)]["deposit_state"] == "required"
        assert webhook.status_code == 409
        assert "not set up" in webhook.json()["detail"]


def test_a_request_that_names_an_amount_is_refused_by_the_protocol(paying):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    body = request_link(desk, booking_id)
    body["args"] = {"amount_pence": 1}

    answer = paying.client.post(
        "/v1/sync/push",
        json={"device_id": str(desk.device_id), "mutations": [body]},
        headers=desk.headers,
    )

    assert answer.status_code == 422
    assert "amount_pence" in answer.text


def test_a_paid_links_request_keeps_the_paymentintent_its_ledger_entry_names(paying, stripe_fake):
    desk, _, pending = paid_link(paying, stripe_fake)

    stripe_fake.deliver([e["id"] for e in pending])

    [entry] = ledger(desk)
    with paying.app.state.sessions() as session:
        kept = session.execute(text("SELECT provider_ref FROM deposit_requests")).scalar_one()
    assert entry["provider_ref"].startswith("pi_")
    assert kept == entry["provider_ref"]
