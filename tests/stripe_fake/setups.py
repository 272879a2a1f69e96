"""SetupIntents: saving a guest's card for a later off-session charge."""

from __future__ import annotations

import copy
from typing import Any

from tests.stripe_fake import cards
from tests.stripe_fake.store import Store
from tests.stripe_fake.wire import Params, StripeError, invalid, new_id

SI_PARAMS = {
    "customer",
    "payment_method",
    "usage",
    "confirm",
    "metadata",
    "description",
    "payment_method_types",
    "return_url",
    "automatic_payment_methods",
}
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")


def new_setup_intent(
    store: Store,
    *,
    customer: str | None,
    usage: str,
    metadata: dict[str, str],
    description: str | None = None,
) -> dict:
    si_id = new_id("seti_")
    return store.add(
        {
            "id": si_id,
            "object": "setup_intent",
            "cancellation_reason": None,
            "client_secret": f"{si_id}_secret_{new_id('')}",
            "customer": customer,
            "description": description,
            "last_setup_error": None,
            "metadata": metadata,
            "next_action": None,
            "payment_method": None,
            "payment_method_types": ["card"],
            "status": "requires_payment_method",
            "usage": usage,
        }
    )


def confirm(store: Store, si: dict[str, Any], *, guest_present: bool = False) -> dict:
    if si["status"] not in CONFIRMABLE:
        raise StripeError(
            f"This SetupIntent could not be confirmed because it has a status of {si['status']}.",
            code="setup_intent_unexpected_state",
            setup_intent=copy.deepcopy(si),
        )
    if si["payment_method"] is None:
        raise invalid(
            "You cannot confirm this SetupIntent because it's missing a payment method.",
            param="payment_method",
        )
    pm = store.get("payment_method", si["payment_method"])
    refused = cards.declined_on_attach(store, pm)
    if refused is not None:
        si.update(status="requires_payment_method", last_setup_error=dict(refused.body["error"]))
        store.emit("setup_intent.setup_failed", si)
        refused.body["error"]["setup_intent"] = copy.deepcopy(si)
        raise refused
    if cards.needs_action(store, pm, guest_present):
        si.update(status="requires_action", next_action={"type": "use_stripe_sdk"})
        store.emit("setup_intent.requires_action", si)
        return si
    if si["customer"]:
        cards.attach(store, pm, si["customer"])
    # Authenticated once for off-session use, a card no longer asks for it on later charges.
    store.private[pm["id"]]["set_up_off_session"] = si["usage"] == "off_session"
    si.update(status="succeeded", last_setup_error=None, next_action=None)
    store.emit("setup_intent.succeeded", si)
    return si


def api_create(store: Store, p: Params) -> dict[str, Any]:
    customer = p.str("customer")
    if customer is not None:
        store.get("customer", customer)
    # Stripe's default usage for a SetupIntent is off_session.
    usage = p.choice("usage", ("off_session", "on_session"), default="off_session")
    assert usage is not None
    si = new_setup_intent(
        store,
        customer=customer,
        usage=usage,
        metadata=p.metadata(),
        description=p.str("description"),
    )
    if (ref := p.str("payment_method")) is not None:
        si.update(
            payment_method=cards.resolve_payment_method(store, ref)["id"],
            status="requires_confirmation",
        )
    store.emit("setup_intent.created", si)
    return confirm(store, si) if p.bool("confirm") else si


def api_confirm(store: Store, si_id: str, p: Params) -> dict[str, Any]:
    si = store.get("setup_intent", si_id)
    if (ref := p.str("payment_method")) is not None:
        si["payment_method"] = cards.resolve_payment_method(store, ref)["id"]
    return confirm(store, si)


def api_cancel(store: Store, si_id: str, p: Params) -> dict[str, Any]:
    si = store.get("setup_intent", si_id)
    if si["status"] not in CONFIRMABLE:
        raise StripeError(
            f"You cannot cancel this SetupIntent because it has a status of {si['status']}.",
            code="setup_intent_unexpected_state",
            setup_intent=copy.deepcopy(si),
        )
    si.update(status="canceled", cancellation_reason=p.str("cancellation_reason"))
    store.emit("setup_intent.canceled", si)
    return si
