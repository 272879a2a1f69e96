"""Checkout Sessions: the link a guest pays a deposit through, and its expiry."""

from __future__ import annotations

from typing import Any

from tests.stripe_fake import cards, intents, setups
from tests.stripe_fake.store import Store
from tests.stripe_fake.wire import Params, StripeError, invalid, new_id

SESSION_PARAMS = {
    "mode",
    "line_items",
    "currency",
    "customer",
    "customer_email",
    "customer_creation",
    "client_reference_id",
    "expires_at",
    "metadata",
    "payment_intent_data",
    "setup_intent_data",
    "success_url",
    "cancel_url",
    "payment_method_types",
    "ui_mode",
    "locale",
}
# Stripe: expires_at is 30 minutes to 24 hours after creation; 24 hours by default.
MIN_LIFETIME, MAX_LIFETIME = 30 * 60, 24 * 3600


def _method_types(p: Params) -> list[str]:
    """The payment methods the guest is offered. Left out, Stripe offers the Dashboard's
    choice (dynamic payment methods), cards among others, some of which settle days later;
    the fake stands for that with Link beside cards."""
    given = p.data.get("payment_method_types")
    if given is None:
        return ["card", "link"]
    if not isinstance(given, list) or not given:
        raise invalid("Invalid array", param="payment_method_types")
    return [str(t) for t in given]


def _total(p: Params) -> tuple[int, str]:
    items = p.data.get("line_items")
    if not items:
        raise invalid(
            "Missing required param: line_items.", param="line_items", code="parameter_missing"
        )
    if not isinstance(items, list):
        raise invalid("Invalid array", param="line_items")
    total, currencies = 0, set()
    for i, item in enumerate(items):
        where = f"line_items[{i}]"
        if "price" in item:
            raise invalid(
                f"No such price: '{item['price']}'",
                param=f"{where}[price]",
                code="resource_missing",
            )
        data = item.get("price_data")
        if not isinstance(data, dict):
            raise invalid(
                f"Missing required param: {where}[price_data].",
                param=f"{where}[price_data]",
                code="parameter_missing",
            )
        for name in ("currency", "unit_amount"):
            if name not in data:
                raise invalid(
                    f"Missing required param: {where}[price_data][{name}].",
                    param=f"{where}[price_data][{name}]",
                    code="parameter_missing",
                )
        if "product" not in data and "name" not in (data.get("product_data") or {}):
            raise invalid(
                f"Missing required param: {where}[price_data][product_data][name].",
                param=f"{where}[price_data][product_data][name]",
                code="parameter_missing",
            )
        try:
            unit, quantity = int(data["unit_amount"]), int(item.get("quantity", ""))
        except ValueError:
            raise invalid(f"Invalid integer in {where}", param=f"{where}[quantity]") from None
        if unit < 0 or quantity < 1:
            raise invalid(f"Invalid positive integer in {where}", param=where)
        total += unit * quantity
        currencies.add(data["currency"].lower())
    if len(currencies) > 1:
        raise invalid("All line items must share one currency.", param="line_items")
    currency = currencies.pop()
    try:
        intents.check_amount(total, currency, param="line_items")
    except StripeError as e:
        e.body["error"]["message"] = (
            "The Checkout Session's total amount due must add up to "
            "at least the currency's minimum. " + e.body["error"]["message"]
        )
        raise
    return total, currency


def _expires_at(store: Store, p: Params) -> int:
    now = store.now()
    at = p.int("expires_at")
    if at is None:
        return now + MAX_LIFETIME
    if at < now + MIN_LIFETIME:
        raise invalid(
            "The `expires_at` timestamp must be at least 30 minutes from Checkout "
            "Session creation.",
            param="expires_at",
        )
    if at > now + MAX_LIFETIME:
        raise invalid(
            "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
            param="expires_at",
        )
    return at


def api_create(store: Store, p: Params, base_url: str) -> dict[str, Any]:
    mode = p.choice("mode", ("payment", "setup", "subscription"))
    if mode is None:
        raise invalid("Missing required param: mode.", param="mode", code="parameter_missing")
    if mode == "subscription":
        raise invalid("This fake does not do subscriptions.", param="mode")
    if "customer" in p and "customer_creation" in p:
        raise invalid(
            "You may only specify one of these parameters: customer, customer_creation.",
            param="customer_creation",
        )
    if mode == "setup" and "payment_intent_data" in p:
        raise invalid(
            "You can not pass `payment_intent_data` in `setup` mode.", param="payment_intent_data"
        )
    if mode == "payment" and "setup_intent_data" in p:
        raise invalid(
            "You can not pass `setup_intent_data` in `payment` mode.", param="setup_intent_data"
        )
    pi_data = p.dict("payment_intent_data")
    Params(pi_data, {"capture_method", "setup_future_usage", "metadata", "description"})
    if pi_data.get("capture_method") not in (None, "automatic", "automatic_async", "manual"):
        raise invalid(
            "Invalid payment_intent_data[capture_method]",
            param="payment_intent_data[capture_method]",
        )
    if mode == "payment":
        amount, currency = _total(p)
    else:
        amount, currency = 0, (p.str("currency") or "gbp").lower()
    customer = p.str("customer")
    if customer is not None:
        store.get("customer", customer)
    creation = p.choice("customer_creation", ("always", "if_required"))
    session_id = new_id("cs_test_")
    # Kept for the guest's payment; Stripe shows them on the intents it creates then.
    store.private[session_id] = {
        "payment_intent_data": pi_data,
        "setup_intent_data": p.dict("setup_intent_data"),
    }
    return store.add(
        {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": amount,
            "amount_total": amount,
            "cancel_url": p.str("cancel_url"),
            "client_reference_id": p.str("client_reference_id"),
            "currency": currency,
            "customer": customer,
            "customer_creation": creation or ("if_required" if customer is None else None),
            "customer_details": None,
            "customer_email": p.str("customer_email"),
            "expires_at": _expires_at(store, p),
            "metadata": p.metadata(),
            "mode": mode,
            "payment_intent": None,
            "payment_method_types": _method_types(p),
            "payment_status": "unpaid" if mode == "payment" else "no_payment_required",
            "setup_intent": None,
            "status": "open",
            "success_url": p.str("success_url"),
            "url": f"{base_url}/_fake/checkout/{session_id}",
        }
    )


def expire(store: Store, session: dict[str, Any]) -> dict[str, Any]:
    if session["status"] != "open":
        raise StripeError(
            'Only Checkout Sessions with a status in ["open"] can be expired.', param="session"
        )
    if session["payment_intent"]:
        pi = store.get("payment_intent", session["payment_intent"])
        if pi["status"] in intents.CANCELLABLE:
            pi.update(status="canceled", cancellation_reason="abandoned", canceled_at=store.now())
            store.emit("payment_intent.canceled", pi)
    session["status"] = "expired"
    store.emit("checkout.session.expired", session)
    return session


def expire_due(store: Store) -> None:
    """Stripe expires an open session once its expires_at has passed."""
    now = store.now()
    for session in store.of_kind("checkout.session"):
        if session["status"] == "open" and session["expires_at"] <= now:
            expire(store, session)


def pay(store: Store, session_id: str, number: str, email: str | None) -> dict[str, Any]:
    """What the guest's browser does on Stripe's checkout page, 3D Secure passed."""
    expire_due(store)
    session = store.get("checkout.session", session_id)
    if session["status"] != "open":
        raise invalid(
            f"This Checkout Session is {session['status']}: it can no longer be paid.",
            param="session",
        )
    pm = cards.create_payment_method(store, number)
    customer = session["customer"]
    kept = store.private[session_id]
    pi_data, si_data = kept["payment_intent_data"], kept["setup_intent_data"]
    wants_customer = (
        session["customer_creation"] == "always"
        or pi_data.get("setup_future_usage")
        or session["mode"] == "setup"
    )
    if customer is None and wants_customer:
        customer = cards.api_create_customer(
            store, Params({"email": email} if email else {}, {"email"})
        )["id"]
    if session["mode"] == "payment":
        pi = store.objects.get(session["payment_intent"] or "") or intents.new_payment_intent(
            store,
            session["amount_total"],
            session["currency"],
            capture_method=pi_data.get("capture_method"),
            customer=customer,
            metadata=pi_data.get("metadata"),
            setup_future_usage=pi_data.get("setup_future_usage"),
            description=pi_data.get("description"),
        )
        session["payment_intent"] = pi["id"]
        pi.update(payment_method=pm["id"], status="requires_confirmation")
        intents.confirm(store, pi, off_session=False, guest_present=True)
        # A held (manually captured) payment is not yet money in the account: still unpaid.
        session["payment_status"] = "paid" if pi["status"] == "succeeded" else "unpaid"
    else:
        si = setups.new_setup_intent(
            store,
            customer=customer,
            usage="off_session",
            metadata=si_data.get("metadata") or {},
            description=si_data.get("description"),
        )
        si.update(payment_method=pm["id"], status="requires_confirmation")
        session["setup_intent"] = si["id"]
        setups.confirm(store, si, guest_present=True)
    session.update(
        status="complete",
        customer=customer,
        customer_details={"email": email or session["customer_email"]},
    )
    store.emit("checkout.session.completed", session)
    return session
