"""The payment gateway port: what the server asks of a payment provider, in plain data.

The Stripe adapter (server.payments.stripe_gateway) is the one implementation; tests run
it against a Stripe-compatible fake process (tests/stripe_fake), never a stand-in of
this port, so the real SDK is what is tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class SessionState(StrEnum):
    """A Checkout Session as the provider has it: open, paid, or expired unpaid."""

    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """A payment link for one booking's deposit."""

    amount_pence: int
    currency: str
    description: str
    expires_at: datetime
    success_url: str
    cancel_url: str
    # Carried by the session and every event about it, so an event finds its request.
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Checkout:
    id: str
    url: str | None
    state: SessionState
    expires_at: datetime
    amount_pence: int
    currency: str
    payment_ref: str | None
    metadata: dict[str, str]


class GatewayError(Exception):
    """The provider refused or could not be reached; ``retry`` says whether to try again."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class PaymentGateway(Protocol):
    def create_checkout(self, request: CheckoutRequest, *, idempotency_key: str) -> Checkout: ...

    def retrieve_checkout(self, session_id: str) -> Checkout: ...

    def expire_checkout(self, session_id: str) -> Checkout: ...
