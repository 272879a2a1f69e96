"""A deposit asked for by a Stripe Checkout link: the server makes one link per intent,
outside the push's transaction, and the guest's payment through the fake settles it."""

from __future__ import annotations

import uuid

import pytest

from app.domain.permissions import Role
from server.payments.reconcile import reconcile
from tests.server.harness import NOW
from tests.server.payments_harness import deposit_requests, ledger, request_link


def eight_tonight(desk) -> uuid.UUID:
    """A party of 8 on Tuesday at tables 15 + 16: £80.00 owed, so pending."""
    create = desk.create(15, 16, party=8)
    assert desk.push_one(create)["outcome"] == "applied"
    return uuid.UUID(create["entity_id"])


def test_reception_requests_a_deposit_and_the_desk_pulls_a_link_open_for_a_day(paying, stripe_fake):
    desk = paying.desk()
    booking_id = eight_tonight(desk)

    outcome = desk.push_one(request := request_link(desk, booking_id))

    assert outcome["outcome"] == "applied"
    [link] = deposit_requests(desk).values()
    assert link["id"] == request["mutation_id"]
    assert (link["status"], link["amount_pence"], link["currency"]) == ("open", 8000, "GBP")
    assert link["url"].startswith(stripe_fake.url)
    assert link["expires_at"] == (NOW.replace(day=3)).isoformat().replace("+00:00", "Z")
    assert desk.bookings()[str(booking_id)]["deposit_state"] == "requested"
    assert stripe_fake.counts()["checkout.session"] == 1


def test_a_replayed_push_makes_one_checkout_session_at_stripe(paying, stripe_fake):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    request = request_link(desk, booking_id)

    first = desk.push_one(request)
    again = desk.push_one(request)
    # A crash between Stripe's answer and the write: the link is made again from the start.
    with paying.app.state.sessions() as session, session.begin():
        session.execute(
            __import__("sqlalchemy").text(
                "UPDATE deposit_requests SET session_id = NULL, url = NULL, status = 'requested'"
            )
        )
    reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert first == again
    assert stripe_fake.counts()["checkout.session"] == 1
    assert stripe_fake.calls()["replays"] >= 1
    [link] = deposit_requests(desk).values()
    assert link["status"] == "open" and link["url"]


def test_without_the_idempotency_key_two_calls_would_make_two_sessions(paying, stripe_fake):
    from server.payments.links import _checkout_request  # the parameters a request sends
    from server.payments.models import DepositRequest

    desk = paying.desk()
    desk.push_one(request_link(desk, eight_tonight(desk)))
    gateway = paying.app.state.payments.gateway
    with paying.app.state.sessions() as session:
        [row] = session.query(DepositRequest).all()
        asked = _checkout_request(session, row, "http://127.0.0.1")

    gateway.create_checkout(asked, idempotency_key=str(uuid.uuid4()))
    gateway.create_checkout(asked, idempotency_key=str(uuid.uuid4()))

    assert stripe_fake.counts()["checkout.session"] == 3


def test_the_guest_pays_through_the_link_and_the_booking_is_paid_and_confirmed_with_a_ledger_row(
    paying, stripe_fake
):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    session_id = link["url"].rsplit("/", 1)[-1]

    stripe_fake.pay(session_id)
    delivered = stripe_fake.deliver()

    assert all(d["status"] == 200 for d in delivered), delivered
    booking = desk.bookings()[str(booking_id)]
    assert (booking["status"], booking["deposit_state"]) == ("confirmed", "paid")
    [entry] = ledger(desk)
    assert (entry["kind"], entry["amount_pence"]) == ("stripe_payment", 8000)
    assert entry["provider_ref"].startswith("pi_")
    assert deposit_requests(desk)[link["id"]]["status"] == "paid"


def test_the_link_offers_cards_only_so_a_completed_unpaid_session_can_only_be_a_hold(
    paying, stripe_fake
):
    # The server reads "complete but unpaid" as a card hold (stripe_gateway.checkout_of).
    # Left to the Dashboard's choice of methods, a guest could pay by one that settles days
    # later, and a deposit taken now would be shown held on a card it was never held on.
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()

    session = stripe_fake.client().v1.checkout.sessions.retrieve(link["url"].rsplit("/", 1)[-1])

    assert session.payment_method_types == ["card"]


def test_a_link_that_expires_unpaid_leaves_the_deposit_owed_again_and_the_booking_pending(
    paying, stripe_fake, clock
):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))

    clock.advance(hours=24, seconds=1)
    stripe_fake.advance(24 * 3600 + 1)
    [delivered] = stripe_fake.deliver()

    assert delivered["status"] == 200, delivered
    booking = desk.bookings()[str(booking_id)]
    assert (booking["status"], booking["deposit_state"]) == ("pending", "required")
    [link] = deposit_requests(desk).values()
    assert link["status"] == "expired"
    # The deposit can be asked for again (merged: the desk had not pulled the expiry yet).
    assert desk.push_one(request_link(desk, booking_id))["outcome"] == "merged"


def test_a_second_link_while_one_is_out_is_refused_with_the_reason(paying):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))

    refused = desk.push_one(request_link(desk, booking_id))

    assert refused["outcome"] == "rejected"
    assert "already out" in refused["reason"]


def test_a_booking_that_owes_nothing_gets_no_link(paying, stripe_fake):
    desk = paying.desk()
    create = desk.create(12, party=2)
    desk.push_one(create)

    refused = desk.push_one(request_link(desk, uuid.UUID(create["entity_id"])))

    assert refused["outcome"] == "rejected"
    assert "owes no deposit" in refused["reason"]
    assert stripe_fake.counts().get("checkout.session", 0) == 0


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.MANAGER, Role.ADMIN])
def test_every_role_may_send_a_deposit_link(paying, role):
    desk = paying.desk(role=role)
    booking_id = eight_tonight(desk)

    assert desk.push_one(request_link(desk, booking_id))["outcome"] == "applied"


def test_a_lost_webhook_is_made_good_by_the_reconciliation(paying, stripe_fake):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.drop()

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)
    again = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (done.asked, done.changed) == (1, 1)
    assert (again.asked, again.changed) == (0, 0)
    assert desk.bookings()[str(booking_id)]["deposit_state"] == "paid"
    assert len(ledger(desk)) == 1


def test_a_link_whose_deposit_was_taken_at_the_bar_is_closed_by_the_reconciliation(
    paying, stripe_fake
):
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    desk.push_one(request_link(desk, booking_id))
    cash = {"entry_id": str(uuid.uuid4()), "amount_pence": 8000, "method": "cash"}
    from app import protocol as p

    assert (
        desk.push_one(desk.intent(p.IntentName.RECORD_DEPOSIT_PAYMENT, booking_id, cash))["outcome"]
        == "applied"
    )

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert done.closed == 1
    [link] = deposit_requests(desk).values()
    assert link["status"] == "expired"
    assert desk.bookings()[str(booking_id)]["deposit_state"] == "paid"


def test_a_link_asked_for_a_deposit_taken_at_the_bar_in_the_same_push_is_not_made(
    paying, stripe_fake
):
    from app import protocol as p

    desk = paying.desk()
    booking_id = eight_tonight(desk)
    asked = request_link(desk, booking_id)
    cash = {"entry_id": str(uuid.uuid4()), "amount_pence": 8000, "method": "cash"}
    paid = desk.intent(p.IntentName.RECORD_DEPOSIT_PAYMENT, booking_id, cash)

    answer = desk.push(asked, paid)

    # The payment was made from a view of the booking before the request: merged.
    assert [o["outcome"] for o in answer["outcomes"]] == ["applied", "merged"]
    link = deposit_requests(desk)[str(asked["mutation_id"])]
    assert (link["status"], link["url"]) == ("failed", None)
    assert link["problem"] == (
        "The payment link could not be made: the booking's deposit is paid now, "
        "so no link is needed."
    )
    assert stripe_fake.counts().get("checkout.session", 0) == 0
