"""Test cards, payment methods and customers, behaving as Stripe's test mode documents.

https://docs.stripe.com/testing: 4242… succeeds; 4000000000000341 attaches to a customer
but every charge on it is declined (card_declined); 4000000000000002 is always declined;
4000002500003155 asks for authentication unless it was set up for off-session use;
4000002760003184 asks for it every time, so off-session it fails authentication_required.
"""

from __future__ import annotations

from typing import Any

from tests.stripe_fake.store import Store
from tests.stripe_fake.wire import Params, StripeError, invalid, new_id

SUCCEEDS = "succeeds"
DECLINED_ON_CHARGE = "declined_on_charge"
ALWAYS_DECLINED = "always_declined"
INSUFFICIENT_FUNDS = "insufficient_funds"
AUTH_UNLESS_SET_UP = "auth_unless_set_up"
AUTH_ALWAYS = "auth_always"

BEHAVIOUR = {
    "4242424242424242": SUCCEEDS,
    "5555555555554444": SUCCEEDS,
    "4000058260000005": SUCCEEDS,  # a UK Visa debit card
    "4000000000000341": DECLINED_ON_CHARGE,
    "4000000000000002": ALWAYS_DECLINED,
    "4000000000009995": INSUFFICIENT_FUNDS,
    "4000002500003155": AUTH_UNLESS_SET_UP,
    "4000002760003184": AUTH_ALWAYS,
}
# Stripe's ready-made test payment methods and the cards behind them.
TEST_TOKENS = {
    "pm_card_visa": "4242424242424242",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_authenticationRequired": "4000002500003155",
}


def _brand(number: str) -> str:
    return {"4": "visa", "5": "mastercard", "3": "amex"}.get(number[:1], "unknown")


def create_payment_method(
    store: Store,
    number: str,
    exp_month: int = 12,
    exp_year: int = 2034,
    metadata: dict | None = None,
) -> dict[str, Any]:
    digits = number.replace(" ", "")
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        raise StripeError(
            "Your card number is incorrect.",
            type="card_error",
            code="incorrect_number",
            param="number",
            saved=False,
        )
    pm = store.add(
        {
            "id": new_id("pm_"),
            "object": "payment_method",
            "type": "card",
            "billing_details": {"address": None, "email": None, "name": None, "phone": None},
            "card": {
                "brand": _brand(digits),
                "country": "GB",
                "exp_month": exp_month,
                "exp_year": exp_year,
                "funding": "credit",
                "last4": digits[-4:],
            },
            "customer": None,
            "metadata": metadata or {},
        }
    )
    store.private[pm["id"]] = {"number": digits, "set_up_off_session": False}
    return pm


def resolve_payment_method(store: Store, ref: str, param: str = "payment_method") -> dict:
    """A payment method id, or one of Stripe's ``pm_card_*`` tokens made into a new one."""
    if ref in TEST_TOKENS:
        return create_payment_method(store, TEST_TOKENS[ref])
    return store.get("payment_method", ref, param)


def behaviour(store: Store, pm: dict[str, Any]) -> str:
    return BEHAVIOUR.get(store.private[pm["id"]]["number"], SUCCEEDS)


def decline(message: str, code: str, decline_code: str | None, **extra: Any) -> StripeError:
    more = {"decline_code": decline_code} if decline_code else {}
    return StripeError(message, type="card_error", code=code, **more, **extra)


def declined_on_attach(store: Store, pm: dict[str, Any]) -> StripeError | None:
    kind = behaviour(store, pm)
    if kind == ALWAYS_DECLINED:
        return decline("Your card was declined.", "card_declined", "generic_decline")
    if kind == INSUFFICIENT_FUNDS:
        return decline("Your card has insufficient funds.", "card_declined", "insufficient_funds")
    return None


def declined_on_charge(
    store: Store, pm: dict[str, Any], *, off_session: bool
) -> StripeError | None:
    """Why charging ``pm`` fails, or None (on session a guest can still authenticate)."""
    refused = declined_on_attach(store, pm)
    if refused is not None:
        return refused
    kind = behaviour(store, pm)
    if kind == DECLINED_ON_CHARGE:
        return decline("Your card was declined.", "card_declined", "generic_decline")
    needs_auth = kind == AUTH_ALWAYS or (
        kind == AUTH_UNLESS_SET_UP and not store.private[pm["id"]]["set_up_off_session"]
    )
    if needs_auth and off_session:
        return decline(
            "Your card was declined. This transaction requires authentication.",
            "authentication_required",
            "authentication_required",
        )
    return None


def needs_action(store: Store, pm: dict[str, Any], guest_present: bool) -> bool:
    """On session, server-side: does the card ask for 3D Secure before it can go on?"""
    if guest_present:
        return False
    kind = behaviour(store, pm)
    return kind == AUTH_ALWAYS or (
        kind == AUTH_UNLESS_SET_UP and not store.private[pm["id"]]["set_up_off_session"]
    )


def attach(store: Store, pm: dict[str, Any], customer: str) -> None:
    if pm["customer"] not in (None, customer):
        raise invalid(
            f"The payment method {pm['id']} belongs to another customer.",
            param="payment_method",
        )
    refused = declined_on_attach(store, pm)
    if refused is not None:
        raise refused
    pm["customer"] = customer


# ---- endpoints -----------------------------------------------------------------------

PM_PARAMS = {"type", "card", "metadata", "billing_details"}


def api_create_payment_method(store: Store, p: Params) -> dict[str, Any]:
    if p.choice("type", ("card",)) is None:
        raise invalid("Missing required param: type.", param="type", code="parameter_missing")
    card = p.dict("card")
    if "number" not in card:
        raise invalid(
            "Missing required param: card[number].", param="card[number]", code="parameter_missing"
        )
    try:
        month, year = int(card.get("exp_month", 12)), int(card.get("exp_year", 2034))
    except ValueError:
        raise invalid("Invalid integer: card[exp_month]", param="card[exp_month]") from None
    return create_payment_method(store, card["number"], month, year, p.metadata())


def api_attach(store: Store, pm_id: str, p: Params) -> dict[str, Any]:
    pm = store.get("payment_method", pm_id)
    customer = store.get("customer", p.str("customer", required=True) or "")
    attach(store, pm, customer["id"])
    return pm


CUSTOMER_PARAMS = {"email", "name", "phone", "description", "metadata", "payment_method"}


def api_delete_customer(store: Store, id: str, p: Params) -> dict[str, Any]:
    """A customer deleted, as Stripe does it: its saved cards let go, and what is left a
    stub that says it was deleted (a second delete: no such customer)."""
    customer = store.get("customer", id)
    if customer.get("deleted"):
        raise StripeError(
            f"No such customer: '{id}'", code="resource_missing", param="id", status=404
        )
    for pm in store.of_kind("payment_method"):
        if pm.get("customer") == id:
            pm["customer"] = None
    gone = {"id": id, "object": "customer", "deleted": True}
    store.objects[id] = gone
    return gone


def api_create_customer(store: Store, p: Params) -> dict[str, Any]:
    customer = store.add(
        {
            "id": new_id("cus_"),
            "object": "customer",
            "email": p.str("email"),
            "name": p.str("name"),
            "phone": p.str("phone"),
            "description": p.str("description"),
            "metadata": p.metadata(),
            "invoice_settings": {"default_payment_method": None},
        }
    )
    if (ref := p.str("payment_method")) is not None:
        attach(store, resolve_payment_method(store, ref), customer["id"])
    return customer
