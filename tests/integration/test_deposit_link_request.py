"""Sending a payment link from the desk: the request is queued as an intent (offline
too) and the deposit shows "requested"; what the server would refuse is refused here,
with its reason, and nothing is written."""

from __future__ import annotations

import pytest

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_ledger import PaymentMethod
from app.domain.errors import DomainError
from app.services.deposit_links import OFFLINE_WORDS
from app.services.deposits import TakeDeposit
from tests.integration.conftest import counts
from tests.integration.test_deposits_at_the_bar import eight_on_saturday, intents
from tests.integration.test_use_cases import party, saturday


def test_reception_asks_for_a_link_and_it_is_queued_for_the_server(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)

    result = desk.links.request_link(reception, pending.id)

    assert result.booking.deposit_state is DepositState.REQUESTED
    assert result.booking.status is BookingStatus.PENDING, "still owed until the guest pays"
    assert result.message.startswith("Asked for a £80.00 payment link for Ava Wood's deposit")
    assert result.message.endswith(OFFLINE_WORDS), "this desk has no server to reach"
    assert intents(db_path)[-1] == ("request_deposit", {})
    shown = desk.queries.booking(pending.id)
    assert shown is not None and shown.booking.deposit_state is DepositState.REQUESTED


def test_a_second_link_while_one_is_out_is_refused_and_nothing_is_written(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)
    desk.links.request_link(reception, pending.id)
    before = counts(db_path), intents(db_path)

    with pytest.raises(DomainError, match="already out"):
        desk.links.request_link(reception, pending.id)

    assert (counts(db_path), intents(db_path)) == before


def test_no_link_is_sent_for_a_party_that_owes_nothing(desk, reception, db_path):
    small = desk.create.create_booking(reception, party(desk, 2, 19, saturday)).booking
    before = counts(db_path), intents(db_path)

    with pytest.raises(DomainError, match="owes no deposit"):
        desk.links.request_link(reception, small.id)

    assert (counts(db_path), intents(db_path)) == before


def test_no_link_is_sent_once_the_deposit_is_paid_at_the_bar(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)
    desk.deposits.take(reception, pending.id, TakeDeposit(8000, PaymentMethod.CASH))
    before = counts(db_path), intents(db_path)

    with pytest.raises(DomainError, match="already paid"):
        desk.links.request_link(reception, pending.id)

    assert (counts(db_path), intents(db_path)) == before


def test_no_link_is_sent_for_a_cancelled_booking(desk, reception, db_path):
    pending = eight_on_saturday(desk, reception)
    desk.lifecycle.cancel(reception, pending.id, "the guest rang")
    before = counts(db_path), intents(db_path)

    with pytest.raises(DomainError, match="is cancelled; no deposit is asked"):
        desk.links.request_link(reception, pending.id)

    assert (counts(db_path), intents(db_path)) == before
