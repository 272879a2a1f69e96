"""How a deposit is secured, chosen by how far ahead the booking is.

A card authorisation (a *hold*, captured later) lasts 7 days for customer-initiated
online payments (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method);
a no-show is known only after the booking's start, and the venue needs a day after
it to claim. So a hold secures bookings starting at most 6 days (elapsed time, so a
clock change between now and then moves nothing) after the guest is asked; further
out the guest's card is *saved* (a SetupIntent with ``usage=off_session``) and
charged off-session on a no-show — which the bank can still refuse with
``authentication_required`` (app.domain.deposit_actions says so to the manager).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum


class DepositMode(StrEnum):
    """What a payment link asks of the guest's card."""

    # Take the deposit now (Checkout in payment mode).
    PAYMENT = "payment"
    # Authorise it now, capture it only on a no-show (payment mode, manual capture).
    HOLD = "hold"
    # Save the card now, charge it off-session only on a no-show (setup mode).
    SAVE_CARD = "save_card"


HOLD_LASTS = timedelta(days=7)
# Time after the booking's start to see that nobody came and claim the hold.
CLAIM_TIME = timedelta(days=1)
HOLD_MAX_LEAD = HOLD_LASTS - CLAIM_TIME


def guarantee_mode(start: datetime, now: datetime) -> DepositMode:
    """Hold or saved card for a booking starting at ``start``, asked at ``now``
    (the venue's choice between this and taking it now: app.domain.deposits.mode_for)."""
    if start.tzinfo is None or now.tzinfo is None:
        raise ValueError("guarantee_mode needs aware instants")
    # In UTC: two instants in one zone subtract as wall clocks, an hour out across a change.
    lead = start.astimezone(UTC) - now.astimezone(UTC)
    return DepositMode.HOLD if lead <= HOLD_MAX_LEAD else DepositMode.SAVE_CARD


def capture_before(authorised_at: datetime) -> datetime:
    """When a hold made at ``authorised_at`` lapses at the bank if not captured."""
    return authorised_at + HOLD_LASTS
