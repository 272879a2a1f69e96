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

from app.domain.deposit_modes import DepositMode


class SessionState(StrEnum):
    """A Checkout Session as the provider has it: open, paid, or expired unpaid."""

    OPEN = "open"
    PAID = "paid"
    # Completed in hold mode (authorised, to capture on a no-show) or setup mode (card saved).
    HELD = "held"
    CARD_SAVED = "card_saved"
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
    mode: DepositMode = DepositMode.PAYMENT


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
    setup_ref: str | None = None
    # Payment (deposit or hold) or setup (save card): a hold is told by the state.
    mode: DepositMode = DepositMode.PAYMENT
    # A completed hold or save-card session's card (filled when retrieved from Stripe).
    card_last4: str | None = None
    customer_ref: str | None = None
    payment_method_ref: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Moved:
    """Money Stripe moved for a claim or refund: the PaymentIntent or Refund, and how much."""

    ref: str
    amount_pence: int


# A captured hold's PaymentIntent keeps its link's ids; the claim adds its own under this.
CLAIM_ON_HOLD = "claim_request_id"


@dataclass(frozen=True, slots=True)
class MoneyMove:
    """A claim, refund or release as Stripe has it (found after a restore, or made
    outside Backroom): what it did (``ActionKind`` value), its object (a Refund, or a
    PaymentIntent charged, captured or cancelled), the PaymentIntent it acted on, how
    much, and the ids it carries."""

    kind: str
    ref: str
    payment_ref: str
    amount_pence: int
    currency: str
    metadata: dict[str, str]
    # When Stripe made it; unknown for a captured hold (Stripe does not say).
    created_at: datetime | None
    # Why Stripe says it was made, where it says: a cancelled hold's ``cancellation_reason``
    # (``automatic``: the bank let it go).
    cause: str | None = None
    # A refund the guest's bank sent back after Stripe made it: its ``failure_reason``.
    failed: str | None = None


class GatewayError(Exception):
    """The provider refused or could not be reached; ``retry`` says whether to try again."""

    def __init__(self, message: str, *, retry: bool, code: str | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        # Stripe's error code (e.g. ``authentication_required``, ``card_declined``).
        self.code = code


class PaymentGateway(Protocol):
    def create_checkout(self, request: CheckoutRequest, *, idempotency_key: str) -> Checkout: ...

    def retrieve_checkout(self, session_id: str) -> Checkout: ...

    def checkouts_since(self, since: datetime) -> list[Checkout]:
        """Every Checkout Session made at or after ``since``, newest first (all pages)."""
        ...

    def expire_checkout(self, session_id: str) -> Checkout: ...

    def capture(
        self, payment_ref: str, amount_pence: int, metadata: dict[str, str], *, idempotency_key: str
    ) -> Moved: ...

    def charge_saved_card(
        self,
        customer_ref: str,
        payment_method_ref: str,
        amount_pence: int,
        currency: str,
        metadata: dict[str, str],
        *,
        idempotency_key: str,
    ) -> Moved: ...

    def refund(
        self, payment_ref: str, amount_pence: int, metadata: dict[str, str], *, idempotency_key: str
    ) -> Moved: ...

    def release(self, payment_ref: str, *, idempotency_key: str) -> Moved: ...

    def delete_customer(self, customer_ref: str) -> None: ...

    def moves_since(self, since: datetime) -> list[MoneyMove]:
        """Every refund, and every saved card charged, made at or after ``since`` by this
        server (they carry its ``action`` in their metadata; all pages)."""
        ...

    def events_since(self, since: datetime) -> list[MoneyMove]:
        """Every refund made, PaymentIntent that took money (a hold captured, among
        others) and PaymentIntent cancelled at or after ``since``, whoever made it (this
        server, Stripe's Dashboard, the bank), and every refund the guest's bank sent
        back (``failed``), oldest first, as Stripe's events tell them (all pages)."""
        ...

    def hold_now(self, payment_ref: str) -> MoneyMove | None:
        """What became of a card hold: captured (a claim) or cancelled (a release), or
        None while it is still held."""
        ...
