"""PaymentIntents and SetupIntents: holds, captures, cancels and off-session charges."""

from __future__ import annotations

import copy
from typing import Any

from tests.stripe_fake import cards
from tests.stripe_fake.store import Store
from tests.stripe_fake.wire import Params, StripeError, invalid, new_id

# Stripe's smallest charge per currency, in minor units (https://docs.stripe.com/currencies).
MINIMUM = {"gbp": 30, "eur": 50, "usd": 50}
CANCELLABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
# An uncaptured card authorisation lapses after seven days: Stripe cancels its
# PaymentIntent ("automatic"; https://docs.stripe.com/payments/place-a-hold-on-a-payment-method).
HOLD_LASTS = 7 * 24 * 3600
PI_PARAMS = {
    "amount",
    "currency",
    "capture_method",
    "confirm",
    "off_session",
    "customer",
    "payment_method",
    "metadata",
    "setup_future_usage",
    "payment_method_types",
    "receipt_email",
    "statement_descriptor_suffix",
    "return_url",
    "automatic_payment_methods",
    "error_on_requires_action",
}
CONFIRM_PARAMS = {
    "payment_method",
    "off_session",
    "return_url",
    "setup_future_usage",
    "error_on_requires_action",
}


def check_amount(amount: int, currency: str, param: str = "amount") -> None:
    if currency not in MINIMUM:
        raise invalid(
            f"Invalid currency: {currency}. Stripe currently supports these "
            f"currencies here: {', '.join(MINIMUM)}",
            param="currency",
        )
    if amount < MINIMUM[currency]:
        symbol = {"gbp": "£", "eur": "€", "usd": "$"}[currency]
        raise invalid(
            f"Amount must be at least {symbol}{MINIMUM[currency] / 100:.2f} {currency}",
            param=param,
            code="amount_too_small",
        )


def unexpected_state(pi: dict[str, Any], verb: str, allowed: tuple[str, ...]) -> StripeError:
    return StripeError(
        f"This PaymentIntent could not be {verb} because it has a status of {pi['status']}. "
        f"Only a PaymentIntent with one of the following statuses may be {verb}: "
        f"{', '.join(allowed)}.",
        code="payment_intent_unexpected_state",
        payment_intent=copy.deepcopy(pi),
    )


def new_payment_intent(store: Store, amount: int, currency: str, **fields: Any) -> dict:
    check_amount(amount, currency)
    pi_id = new_id("pi_")
    return store.add(
        {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_received": 0,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": fields.get("capture_method") or "automatic_async",
            "client_secret": f"{pi_id}_secret_{new_id('')}",
            "confirmation_method": "automatic",
            "currency": currency,
            "customer": fields.get("customer"),
            "description": fields.get("description"),
            "last_payment_error": None,
            "latest_charge": None,
            "metadata": fields.get("metadata") or {},
            "next_action": None,
            "payment_method": None,
            "payment_method_types": ["card"],
            "setup_future_usage": fields.get("setup_future_usage"),
            "status": "requires_payment_method",
        }
    )


def confirm(
    store: Store, pi: dict[str, Any], *, off_session: bool, guest_present: bool = False
) -> dict[str, Any]:
    """Charges (or holds) the intent's card; a decline raises Stripe's card_error."""
    if pi["status"] not in CONFIRMABLE:
        raise unexpected_state(pi, "confirmed", CONFIRMABLE)
    if pi["payment_method"] is None:
        raise invalid(
            "You cannot confirm this PaymentIntent because it's missing a payment "
            "method. To confirm the PaymentIntent with "
            f"{pi['customer']}, specify a payment method attached to this customer "
            "along with the customer ID.",
            param="payment_method",
        )
    pm = store.get("payment_method", pi["payment_method"])
    refused = cards.declined_on_charge(store, pm, off_session=off_session)
    if refused is not None:
        pi["status"] = "requires_payment_method"
        pi["last_payment_error"] = {**refused.body["error"], "payment_method": copy.deepcopy(pm)}
        store.emit("payment_intent.payment_failed", pi)
        refused.body["error"]["payment_intent"] = copy.deepcopy(pi)
        refused.body["error"]["payment_method"] = copy.deepcopy(pm)
        raise refused
    if cards.needs_action(store, pm, guest_present) and not off_session:
        pi["status"] = "requires_action"
        pi["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {}}
        store.emit("payment_intent.requires_action", pi)
        return pi
    if pi["customer"] and pi["setup_future_usage"]:
        cards.attach(store, pm, pi["customer"])
        store.private[pm["id"]]["set_up_off_session"] = True
    charge = store.add(
        {
            "id": new_id("ch_"),
            "object": "charge",
            "amount": pi["amount"],
            "amount_captured": 0,
            "amount_refunded": 0,
            "captured": False,
            "currency": pi["currency"],
            "customer": pi["customer"],
            "payment_intent": pi["id"],
            "payment_method": pm["id"],
            "payment_method_details": {"type": "card", "card": dict(pm["card"])},
            "refunded": False,
            "status": "succeeded",
        }
    )
    pi.update(latest_charge=charge["id"], last_payment_error=None, next_action=None)
    if pi["capture_method"] == "manual":
        pi.update(status="requires_capture", amount_capturable=pi["amount"])
        store.emit("payment_intent.amount_capturable_updated", pi)
    else:
        charge.update(captured=True, amount_captured=pi["amount"])
        pi.update(status="succeeded", amount_received=pi["amount"])
        store.emit("charge.succeeded", charge)
        store.emit("payment_intent.succeeded", pi)
    return pi


def api_create_payment_intent(store: Store, p: Params) -> dict[str, Any]:
    amount = p.int("amount", required=True)
    currency = p.str("currency", required=True)
    assert amount is not None and currency is not None
    capture = p.choice("capture_method", ("automatic", "automatic_async", "manual"))
    future = p.choice("setup_future_usage", ("off_session", "on_session"))
    customer = p.str("customer")
    if customer is not None:
        store.get("customer", customer)
    off_session, confirm_now = p.bool("off_session"), p.bool("confirm")
    if off_session and not confirm_now:
        raise invalid("off_session can only be used when confirm=true.", param="off_session")
    pi = new_payment_intent(
        store,
        amount,
        currency.lower(),
        capture_method=capture,
        customer=customer,
        metadata=p.metadata(),
        setup_future_usage=future,
    )
    if (ref := p.str("payment_method")) is not None:
        pi["payment_method"] = cards.resolve_payment_method(store, ref)["id"]
        pi["status"] = "requires_confirmation"
    store.emit("payment_intent.created", pi)
    return confirm(store, pi, off_session=off_session) if confirm_now else pi


def api_confirm(store: Store, pi_id: str, p: Params) -> dict[str, Any]:
    pi = store.get("payment_intent", pi_id)
    if (ref := p.str("payment_method")) is not None:
        pi["payment_method"] = cards.resolve_payment_method(store, ref)["id"]
    return confirm(store, pi, off_session=p.bool("off_session"))


def api_capture(store: Store, pi_id: str, p: Params) -> dict[str, Any]:
    pi = store.get("payment_intent", pi_id)
    if pi["status"] != "requires_capture":
        raise unexpected_state(pi, "captured", ("requires_capture",))
    amount = p.int("amount_to_capture")
    amount = pi["amount_capturable"] if amount is None else amount
    if amount > pi["amount_capturable"] or amount <= 0:
        raise invalid(
            "The amount_to_capture must be a positive integer no greater than the "
            f"amount_capturable ({pi['amount_capturable']}).",
            param="amount_to_capture",
            code="amount_too_large",
        )
    # The part of the hold not captured is released to the guest at once. Metadata given
    # is merged into the intent's, as Stripe does on an update.
    pi.update(status="succeeded", amount_received=amount, amount_capturable=0)
    pi["metadata"] = {**pi["metadata"], **p.metadata()}
    charge = store.get("charge", pi["latest_charge"])
    charge.update(captured=True, amount_captured=amount)
    store.emit("charge.captured", charge)
    store.emit("payment_intent.succeeded", pi)
    return pi


def lapse_due(store: Store) -> None:
    """Holds not captured within seven days of their authorisation, on the fake's clock,
    are let go as Stripe lets them go."""
    now = store.now()
    for pi in store.of_kind("payment_intent"):
        if pi["status"] != "requires_capture" or pi["latest_charge"] is None:
            continue
        authorised = store.get("charge", pi["latest_charge"])["created"]
        if authorised + HOLD_LASTS <= now:
            pi.update(
                status="canceled",
                amount_capturable=0,
                canceled_at=authorised + HOLD_LASTS,
                cancellation_reason="automatic",
            )
            store.emit("payment_intent.canceled", pi)


def api_cancel(store: Store, pi_id: str, p: Params) -> dict[str, Any]:
    pi = store.get("payment_intent", pi_id)
    reason = p.choice(
        "cancellation_reason", ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
    )
    if pi["status"] not in CANCELLABLE:
        raise unexpected_state(pi, "canceled", CANCELLABLE)
    pi.update(
        status="canceled", amount_capturable=0, canceled_at=store.now(), cancellation_reason=reason
    )
    store.emit("payment_intent.canceled", pi)
    return pi
