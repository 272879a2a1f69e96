"""Holds, captures, refunds and saved cards through the real SDK, against our fake and
localstripe alike where both do it, and our fake alone where localstripe differs from Stripe."""

from __future__ import annotations

import pytest
import stripe

from tests.stripe_fake.helpers import card, charge_id

BOTH = pytest.mark.parametrize("fake", ["stripe_fake", "localstripe"])


@pytest.fixture
def client(request, fake):
    return request.getfixturevalue(fake).client()


@BOTH
def test_a_hold_is_kept_then_captured_in_part_then_refunded_in_part(client, fake):
    pm = card(client, "4242424242424242")

    hold = client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "gbp",
            "capture_method": "manual",
            "payment_method": pm.id,
            "confirm": True,
        }
    )
    assert hold.id.startswith("pi_")
    assert hold.status == "requires_capture"

    captured = client.v1.payment_intents.capture(hold.id, params={"amount_to_capture": 3000})
    assert captured.status == "succeeded"

    refund = client.v1.refunds.create(params={"payment_intent": hold.id, "amount": 1000})
    assert refund.id.startswith("re_")
    assert (refund.object, refund.amount, refund.status) == ("refund", 1000, "succeeded")
    assert refund.payment_intent == hold.id
    assert refund.charge == charge_id(captured)


@BOTH
def test_a_card_saved_for_later_is_charged_off_session(client, fake):
    customer = client.v1.customers.create(params={"email": "guest@example.com"})
    setup = client.v1.setup_intents.create(params={"customer": customer.id, "usage": "off_session"})
    assert setup.id.startswith("seti_")

    saved = client.v1.setup_intents.confirm(
        setup.id, params={"payment_method": card(client, "4242424242424242").id}
    )
    assert saved.status == "succeeded"

    claim = client.v1.payment_intents.create(
        params={
            "amount": 4000,
            "currency": "gbp",
            "customer": customer.id,
            "payment_method": saved.payment_method,
            "off_session": True,
            "confirm": True,
        }
    )
    assert claim.status == "succeeded"


@BOTH
def test_card_0341_saves_but_its_off_session_charge_is_declined(client, fake):
    customer = client.v1.customers.create(params={"email": "guest@example.com"})
    setup = client.v1.setup_intents.create(params={"customer": customer.id, "usage": "off_session"})
    saved = client.v1.setup_intents.confirm(
        setup.id, params={"payment_method": card(client, "4000000000000341").id}
    )
    assert saved.status == "succeeded"

    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.create(
            params={
                "amount": 4000,
                "currency": "gbp",
                "customer": customer.id,
                "payment_method": saved.payment_method,
                "off_session": True,
                "confirm": True,
            }
        )

    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"


@BOTH
def test_an_unknown_payment_intent_is_a_404(client, fake):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payment_intents.retrieve("pi_doesnotexist000000000000")
    assert missing.value.http_status == 404


def test_the_declined_intent_says_why_and_waits_for_another_card(stripe_fake):
    client = stripe_fake.client()
    customer = client.v1.customers.create(params={})
    pm = card(client, "4000000000000341")
    client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})

    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.create(
            params={
                "amount": 4000,
                "currency": "gbp",
                "customer": customer.id,
                "payment_method": pm.id,
                "off_session": True,
                "confirm": True,
            }
        )

    error = declined.value.error
    assert (error.type, error.decline_code) == ("card_error", "generic_decline")
    assert error.payment_intent.status == "requires_payment_method"
    assert error.payment_intent.last_payment_error.code == "card_declined"


def test_off_session_a_card_that_always_asks_for_authentication_fails_authentication_required(
    stripe_fake,
):
    client = stripe_fake.client()
    customer = client.v1.customers.create(params={})
    pm = card(client, "4000002760003184")
    client.v1.payment_methods.attach(pm.id, params={"customer": customer.id})

    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.create(
            params={
                "amount": 4000,
                "currency": "gbp",
                "customer": customer.id,
                "payment_method": pm.id,
                "off_session": True,
                "confirm": True,
            }
        )

    assert declined.value.code == "authentication_required"
    assert declined.value.error.decline_code == "authentication_required"


def paid_now(client, pence: int):
    """A card payment of ``pence`` taken at once (Stripe's test Visa)."""
    params = {"amount": pence, "currency": "gbp", "payment_method": "pm_card_visa"}
    return client.v1.payment_intents.create(params={**params, "confirm": True})


def test_a_refund_above_what_is_left_is_refused_and_refunds_nothing(stripe_fake):
    client = stripe_fake.client()
    paid = paid_now(client, 5000)
    client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 4000})

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 1001})

    assert refused.value.http_status == 400
    assert (refused.value.code, refused.value.param) == ("amount_too_large", "amount")
    assert "£10.00" in refused.value.user_message
    assert client.v1.charges.retrieve(paid.latest_charge).amount_refunded == 4000
    assert stripe_fake.counts()["refund"] == 1


def test_a_refund_the_bank_sends_back_fails_and_its_money_can_be_refunded_again(stripe_fake):
    client = stripe_fake.client()
    paid = paid_now(client, 5000)
    refund = client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 5000})

    stripe_fake.fail_refund(refund.id, "expired_or_canceled_card")
    again = client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 5000})

    failed = client.v1.refunds.retrieve(refund.id)
    assert (failed.status, failed.failure_reason) == ("failed", "expired_or_canceled_card")
    [event] = client.v1.events.list(params={"type": "refund.failed"}).data
    assert event.data.object.id == refund.id
    assert again.status == "succeeded"
    assert client.v1.charges.retrieve(paid.latest_charge).amount_refunded == 5000


def test_a_captured_hold_takes_at_most_what_was_held_and_releases_the_rest(stripe_fake):
    client = stripe_fake.client()
    hold = client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "gbp",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.capture(hold.id, params={"amount_to_capture": 5001})

    captured = client.v1.payment_intents.capture(hold.id, params={"amount_to_capture": 3000})

    assert (captured.amount_received, captured.amount_capturable) == (3000, 0)
    with pytest.raises(stripe.InvalidRequestError) as twice:
        client.v1.payment_intents.capture(hold.id)
    assert twice.value.code == "payment_intent_unexpected_state"


def test_a_hold_not_captured_within_seven_days_lapses_and_can_no_longer_be(stripe_fake):
    client = stripe_fake.client()
    params = {"amount": 5000, "currency": "gbp", "capture_method": "manual"}
    hold = client.v1.payment_intents.create(
        params={**params, "payment_method": "pm_card_visa", "confirm": True}
    )
    stripe_fake.advance(7 * 24 * 3600 - 60)
    still = client.v1.payment_intents.retrieve(hold.id)
    stripe_fake.advance(60)

    lapsed = client.v1.payment_intents.retrieve(hold.id)

    assert still.status == "requires_capture"
    assert (lapsed.status, lapsed.cancellation_reason) == ("canceled", "automatic")
    assert lapsed.canceled_at == hold.created + 7 * 24 * 3600
    with pytest.raises(stripe.InvalidRequestError) as late:
        client.v1.payment_intents.capture(hold.id)
    assert late.value.code == "payment_intent_unexpected_state"


def test_cancelling_a_hold_releases_it_and_it_can_then_be_neither_captured_nor_refunded(
    stripe_fake,
):
    client = stripe_fake.client()
    hold = client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "gbp",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )

    cancelled = client.v1.payment_intents.cancel(
        hold.id, params={"cancellation_reason": "requested_by_customer"}
    )

    assert (cancelled.status, cancelled.amount_capturable) == ("canceled", 0)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.payment_intents.capture(hold.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.refunds.create(params={"payment_intent": hold.id})


def test_a_replayed_hold_with_its_idempotency_key_holds_the_card_once(stripe_fake):
    client = stripe_fake.client()
    params = {
        "amount": 5000,
        "currency": "gbp",
        "capture_method": "manual",
        "payment_method": "pm_card_visa",
        "confirm": True,
    }

    holds = [
        client.v1.payment_intents.create(params=params, options={"idempotency_key": "m-7:hold"})
        for _ in range(3)
    ]

    assert {h.id for h in holds} == {holds[0].id}
    assert stripe_fake.counts()["payment_intent"] == 1


def test_without_an_idempotency_key_every_replay_is_another_hold(stripe_fake):
    client = stripe_fake.client()
    params = {
        "amount": 5000,
        "currency": "gbp",
        "capture_method": "manual",
        "payment_method": "pm_card_visa",
        "confirm": True,
    }

    for _ in range(3):
        client.v1.payment_intents.create(params=params)  # the SDK draws a new key each time

    assert stripe_fake.counts()["payment_intent"] == 3


# What localstripe does unlike Stripe, pinned so that docs/payments.md stays true: the
# tests that need these behaviours run against our fake.


def test_localstripe_ignores_idempotency_keys(localstripe):
    client = localstripe.client()
    params = {"email": "guest@example.com"}
    first = client.v1.customers.create(params=params, options={"idempotency_key": "same"})
    again = client.v1.customers.create(params=params, options={"idempotency_key": "same"})
    assert again.id != first.id


def test_localstripe_refunds_more_than_was_captured(localstripe):
    client = localstripe.client()
    paid = client.v1.payment_intents.create(
        params={
            "amount": 5000,
            "currency": "gbp",
            "payment_method": card(client, "4242424242424242").id,
            "confirm": True,
        }
    )
    client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 5000})
    assert client.v1.refunds.create(params={"payment_intent": paid.id, "amount": 1}).amount == 1


def test_localstripe_has_no_checkout_sessions(localstripe):
    with pytest.raises(stripe.APIError) as missing:  # a plain-text 404, not Stripe's JSON
        localstripe.client().v1.checkout.sessions.create(params={"mode": "payment"})
    assert missing.value.http_status == 404


@pytest.mark.parametrize("fake", ["stripe_fake"])
def test_a_deleted_customer_says_so_lets_its_card_go_and_cannot_be_deleted_twice(client, fake):
    customer = client.v1.customers.create(params={"email": "guest@example.com"})
    saved = card(client, "4242424242424242")
    client.v1.payment_methods.attach(saved.id, params={"customer": customer.id})

    gone = client.v1.customers.delete(customer.id)

    assert (gone.id, gone.deleted) == (customer.id, True)
    assert client.v1.customers.retrieve(customer.id).to_dict() == {
        "id": customer.id,
        "object": "customer",
        "deleted": True,
    }
    assert client.v1.payment_methods.retrieve(saved.id).customer is None
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.customers.delete(customer.id)
    assert (again.value.http_status, again.value.code) == (404, "resource_missing")
