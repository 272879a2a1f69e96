from datetime import UTC, datetime, timedelta

import pytest

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.deposit_actions import ActionKind
from app.domain.deposit_links import DepositLink, RequestStatus, check_resend
from app.domain.errors import DomainError

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
BOOKING = Booking(
    id="b1",
    venue_id="v1",
    reference="7K3M9Q2X4TB",
    customer_id="c1",
    party_size=8,
    start=NOW + timedelta(hours=4),
    duration_minutes=120,
    status=BookingStatus.PENDING,
    created_at=NOW,
    updated_at=NOW,
    deposit_state=DepositState.REQUESTED,
    deposit_pence=8000,
)


def link(status=RequestStatus.OPEN, expires=NOW + timedelta(hours=1), kind=ActionKind.LINK):
    return DepositLink("b1", 8000, status, "https://pay.example/x", expires, None, kind=kind)


def test_a_live_link_may_be_sent_again():
    check_resend(BOOKING, link(), NOW)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (None, "No payment link was sent for booking 7K3M-9Q2X-4TB; send one first."),
        (link(kind=ActionKind.REFUND), "No payment link was sent for booking 7K3M-9Q2X-4TB"),
        (link(RequestStatus.PAID), "The deposit on booking 7K3M-9Q2X-4TB is already paid"),
        (link(RequestStatus.HELD), "The deposit on booking 7K3M-9Q2X-4TB is already paid"),
        (link(RequestStatus.EXPIRED), "The payment link for booking 7K3M-9Q2X-4TB has expired"),
        (link(expires=NOW), "The payment link for booking 7K3M-9Q2X-4TB has expired"),
        (link(RequestStatus.REQUESTED), "is still being made"),
        (link(RequestStatus.FAILED), "could not be made"),
    ],
)
def test_a_link_that_cannot_be_paid_is_not_sent_again_and_says_why(given, reason):
    with pytest.raises(DomainError, match=reason):
        check_resend(BOOKING, given, NOW)


def test_a_cancelled_booking_is_sent_no_link():
    from dataclasses import replace

    with pytest.raises(DomainError, match="is cancelled; no link is sent"):
        check_resend(replace(BOOKING, status=BookingStatus.CANCELLED), link(), NOW)
