"""An erased guest's saved card goes from Stripe too: the erasure queues the Stripe
customer their deposit saved the card under, and it is deleted after the commit, or by
the reconciliation while Stripe cannot be reached — through the real SDK, against the
Stripe fake as a real process, on a real server over HTTP."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app import protocol as p
from app.domain.permissions import Role
from server.payments.forget import waiting
from server.payments.models import DepositRequest, StripeCustomerDeletion
from server.payments.reconcile import reconcile
from server.payments.stripe_gateway import StripeGateway
from tests.server.harness import VENUE_ID
from tests.server.test_deposit_guarantee import (
    act,
    booking,
    guarantee,
    no_show,
    secured,
)


def a_no_show_whose_saved_card_was_charged(server, stripe_fake):
    """Ten days ahead the card is saved (a Stripe customer); the party did not come and
    the manager claimed the deposit, so nothing of theirs is still open."""
    guarantee(server)
    _desk, booking_id = secured(server, stripe_fake, days_ahead=10)
    manager = no_show(server, booking_id, stripe_fake)
    act(manager, p.IntentName.CLAIM_DEPOSIT, booking_id, amount_pence=8000)
    with server.app.state.sessions() as session:
        customer = session.scalars(
            select(DepositRequest.customer_ref).where(DepositRequest.booking_id == booking_id)
        ).first()
    assert customer is not None
    return manager, booking_id, customer


def erase(server, reference: str):
    # Signed in now: the night's clock ran on past the test's first tokens.
    _, token = server.add_staff(VENUE_ID, Role.ADMIN)
    return server.client.post(
        "/v1/guests/erase", json={"reference": reference}, headers=server.headers(token)
    )


def deletions(server) -> list[tuple[str, bool, int, str | None]]:
    with server.app.state.sessions() as session:
        return [
            (r.customer_ref, r.deleted_at is not None, r.attempts, r.last_error)
            for r in session.scalars(select(StripeCustomerDeletion))
        ]


def test_erasing_a_guest_deletes_their_saved_card_customer_at_stripe(paying, stripe_fake):
    manager, booking_id, customer = a_no_show_whose_saved_card_was_charged(paying, stripe_fake)
    before = stripe_fake.client().v1.customers.retrieve(customer)

    erased = erase(paying, booking(manager, booking_id)["reference"])

    assert erased.status_code == 200, erased.text
    assert erased.json()["rows"]["stripe_customer_deletions"] == 1
    assert not before.to_dict().get("deleted")
    assert stripe_fake.client().v1.customers.retrieve(customer).to_dict().get("deleted") is True
    assert deletions(paying) == [(customer, True, 1, None)]


def test_a_stripe_that_cannot_be_reached_deletes_it_at_the_next_reconciliation(
    paying,
    stripe_fake,
):
    manager, booking_id, customer = a_no_show_whose_saved_card_was_charged(paying, stripe_fake)
    payments = paying.app.state.payments
    # Stripe out of reach while the erasure commits: nothing listens on port 9.
    paying.app.state.payments = replace(
        payments, gateway=StripeGateway("sk_test_fake", "http://127.0.0.1:9", retries=0)
    )
    erased = erase(paying, booking(manager, booking_id)["reference"])
    kept = deletions(paying)
    paying.app.state.payments = payments

    done = reconcile(paying.app.state.sessions, payments)

    assert erased.status_code == 200, erased.text
    [(ref, deleted, attempts, error)] = kept
    assert (ref, deleted, attempts) == (customer, False, 1) and error
    assert done.customers_deleted == 1
    assert deletions(paying) == [(customer, True, 2, None)]
    assert stripe_fake.client().v1.customers.retrieve(customer).to_dict().get("deleted") is True
    assert waiting(paying.app.state.sessions) == []
