"""The fake's Checkout Sessions through the real stripe SDK: the deposit link (issue 14)."""

from __future__ import annotations

import pytest
import stripe

from tests.stripe_fake.client import FakeRefused
from tests.stripe_fake.helpers import deposit_link


def test_a_deposit_link_is_an_open_checkout_session_in_pounds_carrying_the_bookings_metadata(
    stripe_fake,
):
    client = stripe_fake.client()
    params = deposit_link(stripe_fake, payment_intent_data={"capture_method": "manual"})

    session = client.v1.checkout.sessions.create(params=params)

    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (8000, "gbp")
    assert session.metadata.to_dict() == {"booking_id": "b-42", "mutation_id": "m-7"}
    assert session.expires_at == params["expires_at"]
    assert session.payment_intent is None  # Stripe makes it only when the guest pays
    assert client.v1.checkout.sessions.retrieve(session.id).url == session.url


def test_the_same_idempotency_key_and_parameters_replay_the_first_session_and_create_nothing(
    stripe_fake,
):
    client = stripe_fake.client()
    params = deposit_link(stripe_fake)

    first = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": "m-7"})
    again = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": "m-7"})

    assert again.id == first.id
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert stripe_fake.counts()["checkout.session"] == 1
    assert stripe_fake.calls() == {"requests": 1, "replays": 1}


def test_the_same_idempotency_key_with_other_parameters_is_refused_and_creates_nothing(
    stripe_fake,
):
    client = stripe_fake.client()
    client.v1.checkout.sessions.create(
        params=deposit_link(stripe_fake), options={"idempotency_key": "m-7"}
    )

    with pytest.raises(stripe.IdempotencyError) as refused:
        client.v1.checkout.sessions.create(
            params=deposit_link(stripe_fake, amount=9000), options={"idempotency_key": "m-7"}
        )

    assert refused.value.http_status == 400
    assert refused.value.error.type == "idempotency_error"
    assert "same parameters" in refused.value.user_message
    assert stripe_fake.counts()["checkout.session"] == 1


def test_a_request_refused_in_validation_leaves_its_key_free_as_stripe_does(stripe_fake):
    client = stripe_fake.client()
    too_soon = deposit_link(stripe_fake, expires_at=stripe_fake.now() + 60)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.create(params=too_soon, options={"idempotency_key": "m-8"})

    session = client.v1.checkout.sessions.create(
        params=deposit_link(stripe_fake), options={"idempotency_key": "m-8"}
    )

    assert session.status == "open"


def test_an_idempotency_key_is_forgotten_after_24_hours(stripe_fake):
    client = stripe_fake.client()
    params = deposit_link(stripe_fake)
    first = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": "m-7"})

    stripe_fake.advance(24 * 3600 + 1)
    params["expires_at"] = stripe_fake.now() + 3600
    later = client.v1.checkout.sessions.create(params=params, options={"idempotency_key": "m-7"})

    assert later.id != first.id
    assert stripe_fake.counts()["checkout.session"] == 2


@pytest.mark.parametrize(
    ("lifetime", "accepted"),
    [(29 * 60, False), (30 * 60 + 5, True), (24 * 3600 - 5, True), (24 * 3600 + 60, False)],
)
def test_a_link_lives_between_30_minutes_and_24_hours_as_stripe_allows(
    stripe_fake, lifetime, accepted
):
    client = stripe_fake.client()
    params = deposit_link(stripe_fake, expires_at=stripe_fake.now() + lifetime)

    if accepted:
        assert client.v1.checkout.sessions.create(params=params).status == "open"
    else:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            client.v1.checkout.sessions.create(params=params)
        assert refused.value.param == "expires_at"
        assert stripe_fake.counts().get("checkout.session", 0) == 0


def test_a_link_past_its_deadline_expires_and_can_no_longer_be_paid(stripe_fake):
    client = stripe_fake.client()
    session = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))

    stripe_fake.advance(3601)

    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    with pytest.raises(FakeRefused) as refused:
        stripe_fake.pay(session.id)
    assert "expired" in refused.value.body["error"]["message"]
    types = [e.type for e in client.v1.events.list(params={"limit": 100}).data]
    assert types == ["checkout.session.expired"]


def test_an_open_link_can_be_expired_once_and_a_paid_one_not_at_all(stripe_fake):
    client = stripe_fake.client()
    open_one = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))
    paid = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))
    stripe_fake.pay(paid.id)

    assert client.v1.checkout.sessions.expire(open_one.id).status == "expired"
    for done in (open_one.id, paid.id):
        with pytest.raises(stripe.InvalidRequestError) as refused:
            client.v1.checkout.sessions.expire(done)
        assert refused.value.http_status == 400


def test_a_guest_paying_a_held_deposit_leaves_it_held_not_paid(stripe_fake):
    client = stripe_fake.client()
    params = deposit_link(stripe_fake, payment_intent_data={"capture_method": "manual"})
    session = client.v1.checkout.sessions.create(params=params)

    stripe_fake.pay(session.id, "4242424242424242", email="guest@example.com")

    done = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert (done.status, done.payment_status) == ("complete", "unpaid")
    assert done.payment_intent.status == "requires_capture"
    assert done.payment_intent.amount_capturable == 8000


def test_a_declined_card_at_checkout_leaves_the_link_open_for_another_card(stripe_fake):
    client = stripe_fake.client()
    session = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))

    with pytest.raises(FakeRefused) as refused:
        stripe_fake.pay(session.id, "4000000000000002")
    assert refused.value.status == 402
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"

    stripe_fake.pay(session.id, "4242424242424242")
    paid = client.v1.checkout.sessions.retrieve(session.id)
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    assert stripe_fake.counts()["payment_intent"] == 1


def test_a_card_saved_through_a_setup_link_is_charged_later_off_session(stripe_fake):
    client = stripe_fake.client()
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "setup",
            "currency": "gbp",
            "customer_creation": "always",
            "setup_intent_data": {"metadata": {"booking_id": "b-9"}},
            "expires_at": stripe_fake.now() + 3600,
        }
    )
    stripe_fake.pay(session.id, "4000002500003155")  # authenticated once, at the link

    done = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["setup_intent"]})
    assert done.setup_intent.status == "succeeded"
    assert done.setup_intent.usage == "off_session"
    claim = client.v1.payment_intents.create(
        params={
            "amount": 4000,
            "currency": "gbp",
            "customer": done.customer,
            "payment_method": done.setup_intent.payment_method,
            "off_session": True,
            "confirm": True,
        }
    )
    assert claim.status == "succeeded"


def test_sessions_are_listed_from_a_time_on_across_pages_newest_first(stripe_fake):
    client = stripe_fake.client()
    before = client.v1.checkout.sessions.create(params=deposit_link(stripe_fake))
    since = stripe_fake.advance(3600)
    after = [client.v1.checkout.sessions.create(params=deposit_link(stripe_fake)) for _ in range(3)]

    listed = client.v1.checkout.sessions.list(params={"created": {"gte": since}, "limit": 2})
    every = client.v1.checkout.sessions.list(params={"created": {"lt": since}})

    assert [s.id for s in listed.auto_paging_iter()] == [s.id for s in reversed(after)]
    assert [s.id for s in every.data] == [before.id]
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.list(params={"created": {"after": since}})
