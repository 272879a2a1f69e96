"""The arguments of the deposit intents: settled at the bar (paid in person, waived), or
asked for by a payment link (``request_deposit``).

The wire carries what staff said; the rules (more than nothing, in GBP, exactly
what is owed, a reason for a waiver) are the domain's (app.domain.deposit_ledger),
judged the same on the desk and the server, so a bad amount is a clear refusal.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.domain.deposit_ledger import CURRENCY, PaymentMethod
from app.domain.limits import MAX_PENCE
from app.protocol.base import ShortText, Strict, Text

# Any whole number of pence the wire can hold; whether it is right is the domain's call.
SignedPence = Annotated[int, Field(ge=-MAX_PENCE, le=MAX_PENCE)]


class RecordDepositPaymentArgs(Strict):
    """A deposit taken at the bar; ``entry_id`` is the ledger row it makes on every desk."""

    entry_id: UUID
    amount_pence: SignedPence
    currency: Annotated[str, Field(max_length=3)] = CURRENCY
    method: PaymentMethod
    note: Text = ""


class WaiveDepositArgs(Strict):
    """A manager let a party off its deposit; ``entry_id`` is the ledger row it makes."""

    entry_id: UUID
    reason: ShortText


class RequestDepositArgs(Strict):
    """Send the guest a payment link for the deposit the booking owes.

    Nothing else is sent: the amount is what the server's copy of the booking owes,
    and the link's lifetime is the venue's (app.domain.deposit_links), so a desk cannot
    ask for a different sum. The link itself is made by the server once it has judged
    this intent; the intent's mutation id is Stripe's idempotency key for it.
    """


class ResendDepositLinkArgs(Strict):
    """Send the guest the booking's live payment link again (email and SMS, by the
    server's outbox). Nothing else: which link, and whether it is live, is the server's
    copy's (app.domain.deposit_links.check_resend)."""


class ClaimDepositArgs(Strict):
    """Claim a no-show's deposit: capture its card hold, or charge its saved card, for
    ``amount_pence`` (at most the deposit it was asked for). Carried out by the server
    after it has judged the intent; the mutation id is Stripe's idempotency key."""

    amount_pence: SignedPence
    currency: Annotated[str, Field(max_length=3)] = CURRENCY


class RefundDepositArgs(Strict):
    """Give back ``amount_pence`` of a deposit taken online (in full or in part)."""

    amount_pence: SignedPence
    currency: Annotated[str, Field(max_length=3)] = CURRENCY
    reason: ShortText


class GiveBackDepositArgs(Strict):
    """A manager gave back ``amount_pence`` of a deposit outside Stripe (``method``: cash
    or the card machine at the bar, a bank transfer), for ``reason``; ``entry_id`` is the
    ledger row it makes on every desk."""

    entry_id: UUID
    amount_pence: SignedPence
    currency: Annotated[str, Field(max_length=3)] = CURRENCY
    method: PaymentMethod
    reason: ShortText


DepositArgs = (
    RecordDepositPaymentArgs
    | WaiveDepositArgs
    | RequestDepositArgs
    | ResendDepositLinkArgs
    | ClaimDepositArgs
    | RefundDepositArgs
    | GiveBackDepositArgs
)
