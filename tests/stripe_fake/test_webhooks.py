"""The fake's webhooks: signed as Stripe signs, delivered twice, out of order or never."""

from __future__ import annotations

import json

import pytest
import stripe

from tests.stripe_fake.helpers import deposit_link


def _paid_link(stripe_fake):
    client = stripe_fake.client()
    session = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))
    stripe_fake.pay(session.id)
    return session


def test_paying_a_link_sends_a_signed_checkout_completed_that_the_sdk_accepts(
    stripe_fake, webhook_inbox
):
    stripe_fake.configure_webhook(webhook_inbox.url)
    session = _paid_link(stripe_fake)

    results = stripe_fake.deliver()

    assert all(r["status"] == 200 for r in results)
    events = [
        stripe.Webhook.construct_event(body, signature, stripe_fake.webhook_secret)
        for body, signature in webhook_inbox.received
    ]
    completed = [e for e in events if e.type == "checkout.session.completed"]
    assert len(completed) == 1
    assert completed[0].id.startswith("evt_")
    assert completed[0].data.object.id == session.id
    assert completed[0].data.object.metadata["booking_id"] == "b-42"
    assert completed[0].data.object.payment_status == "paid"
    # Stripe's /v1/events says the same as the webhook did.
    again = stripe_fake.client().v1.events.retrieve(completed[0].id)
    assert again.data.object.status == "complete"


def test_a_forged_signature_and_a_stale_one_are_refused_by_the_sdk(stripe_fake, webhook_inbox):
    stripe_fake.configure_webhook(webhook_inbox.url)
    _paid_link(stripe_fake)
    [event] = [e for e in stripe_fake.pending() if e["type"] == "checkout.session.completed"]

    stripe_fake.deliver([event["id"]], secret="whsec_not_the_real_one")
    stripe_fake.deliver([event["id"]], signed_at=stripe_fake.now() - 301)
    stripe_fake.deliver([event["id"]])

    (forged, f_sig), (stale, s_sig), (genuine, g_sig) = webhook_inbox.received
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(forged, f_sig, stripe_fake.webhook_secret)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(stale, s_sig, stripe_fake.webhook_secret)
    assert stripe.Webhook.construct_event(genuine, g_sig, stripe_fake.webhook_secret)
    tampered = genuine.replace(b'"paid"', b'"unpaid"')
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(tampered, g_sig, stripe_fake.webhook_secret)


def test_events_can_be_delivered_twice_out_of_order_or_not_at_all(stripe_fake, webhook_inbox):
    stripe_fake.configure_webhook(webhook_inbox.url)
    _paid_link(stripe_fake)
    first, *middle, last = [e["id"] for e in stripe_fake.pending()]

    stripe_fake.drop(middle)
    stripe_fake.deliver([last, first, last])

    received = [json.loads(body)["id"] for body, _ in webhook_inbox.received]
    assert received == [last, first, last]
    assert stripe_fake.pending() == []
    # A dropped event is still on /v1/events, where a reconciliation would find it.
    listed = {e.id for e in stripe_fake.client().v1.events.list(params={"limit": 100}).data}
    assert set(middle) <= listed


def test_in_auto_mode_each_event_is_sent_once_in_order_after_the_request(
    stripe_fake, webhook_inbox
):
    stripe_fake.configure_webhook(webhook_inbox.url, mode="auto")
    client = stripe_fake.client()
    session = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))
    stripe_fake.pay(session.id)

    sent = [json.loads(body) for body, _ in webhook_inbox.received]
    listed = client.v1.events.list(params={"limit": 100}).data
    assert [e["id"] for e in sent] == [e.id for e in reversed(listed)]
    assert sent[-1]["type"] == "checkout.session.completed"
    assert all(d["status"] == 200 for d in stripe_fake.deliveries())


def test_an_event_the_receiver_refuses_stays_marked_pending_at_stripe(stripe_fake, webhook_inbox):
    stripe_fake.configure_webhook(webhook_inbox.url)
    webhook_inbox.status = 400
    _paid_link(stripe_fake)

    results = stripe_fake.deliver()

    assert {r["status"] for r in results} == {400}
    client = stripe_fake.client()
    assert all(e.pending_webhooks == 1 for e in client.v1.events.list().data)
