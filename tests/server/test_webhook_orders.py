"""A hundred shuffled and duplicated delivery orders of one booking's Stripe events, for
each way a link secures a deposit: every order ends with the deposit as Stripe has it and
each ledger row written once. The events are the fake's own, applied through the server's
webhook function (the HTTP face and its signatures are tested in test_payments_webhook)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from server.payments.webhook import apply_event
from tests.server.harness import EVENING, Server
from tests.server.payments_harness import request_link
from tests.server.test_payments_exactly_once import guarantee

ORDERS = 100
# Stripe's word on a completed link, by what it asked of the card (written by hand).
EXPECTED = {
    "payment": ("paid", "paid", 1, "complete", "paid"),
    "hold": ("held", "held", 1, "complete", "unpaid"),
    "save_card": ("card_saved", "card_saved", 0, "complete", "no_payment_required"),
}
_RESET = (
    "UPDATE bookings SET deposit_state = 'requested', status = 'pending' WHERE id = :b",
    "UPDATE deposit_requests SET status = 'open', provider_ref = NULL, card_last4 = NULL, "
    "customer_ref = NULL, payment_method_ref = NULL, capture_before = NULL, problem = NULL "
    "WHERE booking_id = :b",
    "DELETE FROM deposit_ledger WHERE booking_id = :b",
    "DELETE FROM payment_events",
)


def state(server: Server, booking_id: uuid.UUID) -> tuple[str, str, int]:
    with server.app.state.sessions() as session:
        deposit = session.scalar(
            text("SELECT deposit_state FROM bookings WHERE id = :b"), {"b": booking_id}
        )
        link = session.scalar(
            text("SELECT status FROM deposit_requests WHERE booking_id = :b"), {"b": booking_id}
        )
        entries = session.scalar(
            text("SELECT count(*) FROM deposit_ledger WHERE booking_id = :b"), {"b": booking_id}
        )
    return str(deposit), str(link), int(entries)


@pytest.mark.parametrize("mode", ["payment", "hold", "save_card"])
def test_a_hundred_shuffled_and_duplicated_orders_end_as_stripe_has_it(
    paying, stripe_fake, clock, mode
):
    guarantee(paying, on=mode != "payment")
    desk = paying.desk()
    days = 10 if mode == "save_card" else 0
    create = desk.create(15, 16, party=8, start=EVENING + timedelta(days=days))
    desk.push_one(create)
    booking_id = uuid.UUID(create["entity_id"])
    desk.push_one(request_link(desk, booking_id))
    with paying.app.state.sessions() as session:
        session_id = session.scalar(
            text("SELECT session_id FROM deposit_requests WHERE booking_id = :b"),
            {"b": booking_id},
        )
    stripe_fake.pay(session_id)
    client = stripe_fake.client()
    events = [client.v1.events.retrieve(e["id"]).to_dict() for e in stripe_fake.pending()]
    stripe_fake.drop()
    at_stripe = client.v1.checkout.sessions.retrieve(session_id)
    deposit, link, entries, status, paid = EXPECTED[mode]
    sessions, gateway = paying.app.state.sessions, paying.app.state.payments.gateway
    rng = random.Random(mode)

    finals = set()
    for _ in range(ORDERS):
        with sessions() as session, session.begin():
            for statement in _RESET:
                session.execute(text(statement), {"b": booking_id})
        order = events + rng.choices(events, k=rng.randint(0, len(events)))
        rng.shuffle(order)
        for event in order:
            apply_event(sessions, event, clock.now(), gateway)
        finals.add(state(paying, booking_id))

    assert (at_stripe.status, at_stripe.payment_status) == (status, paid)
    assert len(events) >= 2, "more than the completion, so that order can matter"
    assert finals == {(deposit, link, entries)}
