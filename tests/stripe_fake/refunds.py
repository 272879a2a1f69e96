"""Refunds, partial or whole, of a captured payment; never more than what is left."""

from __future__ import annotations

from typing import Any

from tests.stripe_fake.store import Store
from tests.stripe_fake.wire import Params, StripeError, invalid, new_id

REFUND_PARAMS = {"payment_intent", "charge", "amount", "reason", "metadata"}


def _pounds(pence: int, currency: str) -> str:
    return f"{ {'gbp': '£', 'eur': '€', 'usd': '$'}.get(currency, '') }{pence / 100:.2f}"


def api_create(store: Store, p: Params) -> dict[str, Any]:
    pi_id, charge_id = p.str("payment_intent"), p.str("charge")
    if pi_id is None and charge_id is None:
        raise invalid(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            param="payment_intent",
        )
    if pi_id is not None:
        pi = store.get("payment_intent", pi_id, "payment_intent")
        if pi["latest_charge"] is None or pi["status"] not in ("succeeded", "requires_capture"):
            raise StripeError(
                f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                param="payment_intent",
            )
        charge = store.get("charge", pi["latest_charge"])
    else:
        charge = store.get("charge", charge_id or "", "charge")
    if not charge["captured"]:
        # An uncaptured hold is released by cancelling its PaymentIntent, not refunded.
        raise StripeError(
            f"Charge {charge['id']} has not been captured: cancel the PaymentIntent to release it.",
            param="charge",
        )
    left = charge["amount_captured"] - charge["amount_refunded"]
    amount = p.int("amount")
    if left == 0:
        raise StripeError(
            f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
        )
    if amount is not None and amount <= 0:
        raise invalid(f"Invalid positive integer: {amount}", param="amount")
    amount = left if amount is None else amount
    if amount > left:
        cur = charge["currency"]
        raise StripeError(
            f"Refund amount ({_pounds(amount, cur)}) is greater than unrefunded "
            f"amount on charge ({_pounds(left, cur)})",
            param="amount",
            code="amount_too_large",
        )
    reason = p.choice("reason", ("duplicate", "fraudulent", "requested_by_customer"))
    refund = store.add(
        {
            "id": new_id("re_"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "currency": charge["currency"],
            "metadata": p.metadata(),
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "status": "succeeded",
        }
    )
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
    store.emit("refund.created", refund)
    store.emit("charge.refunded", charge)
    return refund


def api_list(store: Store, p: Params) -> list[dict[str, Any]]:
    pi, charge = p.str("payment_intent"), p.str("charge")
    return [
        r
        for r in store.of_kind("refund")
        if (pi is None or r["payment_intent"] == pi)
        and (charge is None or r["charge"] == charge)
        and p.created(r)
    ]


FAILURES = ("expired_or_canceled_card", "lost_or_stolen_card", "declined", "unknown")


def fail(store: Store, refund_id: str, reason: str) -> dict[str, Any]:
    """A refund the guest's bank sent back: failed with its reason, the money back in the
    balance (its charge's ``amount_refunded`` less it), ``refund.failed`` sent."""
    refund = store.get("refund", refund_id)
    if refund["status"] == "failed":
        raise StripeError(f"Refund {refund_id} has already failed.", param="refund")
    if reason not in FAILURES:
        raise invalid(f"Invalid failure_reason: {reason}", param="failure_reason")
    charge = store.get("charge", refund["charge"])
    charge["amount_refunded"] -= refund["amount"]
    charge["refunded"] = False
    refund.update(status="failed", failure_reason=reason)
    store.emit("refund.failed", refund)
    store.emit("charge.refund.updated", refund)
    return refund
