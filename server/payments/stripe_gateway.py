"""The payment gateway on Stripe, through the official SDK's ``StripeClient``.

Only this module imports ``stripe`` (the desk never does: an import-linter contract).
Every call that creates something carries the caller's idempotency key, so a retry
after a lost answer gets Stripe's first answer back instead of a second link
(https://docs.stripe.com/api/idempotent_requests).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import stripe

from app.domain.deposit_actions import ActionKind
from app.domain.deposit_modes import DepositMode
from server.payments.gateway import (
    Checkout,
    CheckoutRequest,
    GatewayError,
    MoneyMove,
    Moved,
    SessionState,
)


class StripeGateway:
    def __init__(self, api_key: str, api_base: str | None = None, retries: int = 2) -> None:
        bases: dict[str, str] = {"api": api_base} if api_base else {}
        self._client = stripe.StripeClient(
            api_key,
            base_addresses=bases,
            max_network_retries=retries,  # type: ignore[arg-type]
        )

    def create_checkout(self, request: CheckoutRequest, *, idempotency_key: str) -> Checkout:
        params = checkout_params(request)
        return self._call(
            lambda: self._client.v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            )
        )

    def retrieve_checkout(self, session_id: str) -> Checkout:
        """The session as Stripe has it, with the card of a completed hold or save-card."""
        found = self._call(lambda: self._client.v1.checkout.sessions.retrieve(session_id))
        if found.state not in WITH_CARD:
            return found
        return self._with_card(found)

    def checkouts_since(self, since: datetime) -> list[Checkout]:
        params = {"created": {"gte": int(since.timestamp())}, "limit": 100}
        try:
            listed = self._client.v1.checkout.sessions.list(params=params)  # type: ignore[arg-type]
            return [checkout_of(s) for s in listed.auto_paging_iter()]
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc

    def _with_card(self, found: Checkout) -> Checkout:
        # The session names its PaymentIntent (hold) or SetupIntent (saved card); the
        # card's last four digits are on that intent's PaymentMethod.
        expand = {"expand": ["payment_method"]}
        try:
            if found.state in (SessionState.HELD, SessionState.PAID) and found.payment_ref:
                intent: Any = self._client.v1.payment_intents.retrieve(
                    found.payment_ref,
                    params=expand,  # type: ignore[arg-type]
                )
            elif found.setup_ref:
                intent = self._client.v1.setup_intents.retrieve(
                    found.setup_ref,
                    params=expand,  # type: ignore[arg-type]
                )
            else:
                return found
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc
        data = intent.to_dict()
        method = data.get("payment_method")
        card = (method.get("card") or {}) if isinstance(method, dict) else {}
        return replace(
            found,
            card_last4=card.get("last4"),
            customer_ref=data.get("customer"),
            payment_method_ref=method.get("id") if isinstance(method, dict) else method,
        )

    def capture(
        self, payment_ref: str, amount_pence: int, metadata: dict[str, str], *, idempotency_key: str
    ) -> Moved:
        # The claim's ids join the hold's own on the PaymentIntent (Stripe merges metadata
        # on capture), so a restored server finds the claim again (hold_now).
        return self._moved(
            lambda: self._client.v1.payment_intents.capture(
                payment_ref,
                params={"amount_to_capture": amount_pence, "metadata": metadata},
                options={"idempotency_key": idempotency_key},
            ),
            "amount_received",
        )

    def charge_saved_card(
        self,
        customer_ref: str,
        payment_method_ref: str,
        amount_pence: int,
        currency: str,
        metadata: dict[str, str],
        *,
        idempotency_key: str,
    ) -> Moved:
        # The guest is not there: an off-session charge, which the bank may still refuse
        # with authentication_required (https://docs.stripe.com/payments/save-and-reuse).
        params: dict[str, Any] = {
            "amount": amount_pence,
            "currency": currency.lower(),
            "customer": customer_ref,
            "payment_method": payment_method_ref,
            "off_session": True,
            "confirm": True,
            "metadata": metadata,
        }
        return self._moved(
            lambda: self._client.v1.payment_intents.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            ),
            "amount_received",
        )

    def refund(
        self, payment_ref: str, amount_pence: int, metadata: dict[str, str], *, idempotency_key: str
    ) -> Moved:
        params: dict[str, Any] = {
            "payment_intent": payment_ref,
            "amount": amount_pence,
            "metadata": metadata,
        }
        return self._moved(
            lambda: self._client.v1.refunds.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key},
            ),
            "amount",
        )

    def release(self, payment_ref: str, *, idempotency_key: str) -> Moved:
        # Cancelling an uncaptured PaymentIntent lets the hold go at the bank, at no cost.
        return self._moved(
            lambda: self._client.v1.payment_intents.cancel(
                payment_ref,
                params={"cancellation_reason": "requested_by_customer"},
                options={"idempotency_key": idempotency_key},
            ),
            "amount",
        )

    def delete_customer(self, customer_ref: str) -> None:
        """Delete a saved-card customer, and with it the card (a guest erased at their
        request); one Stripe no longer has is deleted already."""
        try:
            self._client.v1.customers.delete(customer_ref)
        except stripe.StripeError as exc:
            if exc.code != "resource_missing":
                raise _gateway_error(exc) from exc

    def moves_since(self, since: datetime) -> list[MoneyMove]:
        created = {"created": {"gte": int(since.timestamp())}, "limit": 100}
        try:
            refunds = self._client.v1.refunds.list(params=created)  # type: ignore[arg-type]
            charges = self._client.v1.payment_intents.list(params=created)  # type: ignore[arg-type]
            found = [
                *(_refund_move(r.to_dict()) for r in refunds.auto_paging_iter()),
                *(_charge_move(i.to_dict()) for i in charges.auto_paging_iter()),
            ]
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc
        return [m for m in found if m is not None]

    def events_since(self, since: datetime) -> list[MoneyMove]:
        moves: list[MoneyMove] = []
        try:
            for kind in EVENTS:
                params = {"type": kind, "created": {"gte": int(since.timestamp())}, "limit": 100}
                listed = self._client.v1.events.list(params=params)  # type: ignore[arg-type]
                moves += (event_move(e.to_dict()) for e in listed.auto_paging_iter())
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc
        found = [m for m in moves if m is not None]
        return sorted(found, key=lambda m: m.created_at or since)

    def hold_now(self, payment_ref: str) -> MoneyMove | None:
        try:
            data = self._client.v1.payment_intents.retrieve(payment_ref).to_dict()
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc
        # A PaymentIntent does not say when it was captured; when it was cancelled, it does.
        if data.get("status") == "succeeded":
            return _intent_move(data, ActionKind.CLAIM, int(data.get("amount_received") or 0), None)
        if data.get("status") == "canceled":
            at = datetime.fromtimestamp(int(data["canceled_at"]), UTC)
            return _intent_move(data, ActionKind.RELEASE, int(data.get("amount") or 0), at)
        return None

    def _moved(self, call: Any, amount_field: str) -> Moved:
        try:
            data = call().to_dict()
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc
        return Moved(str(data["id"]), int(data.get(amount_field) or 0))

    def expire_checkout(self, session_id: str) -> Checkout:
        return self._call(lambda: self._client.v1.checkout.sessions.expire(session_id))

    def _call(self, call: Any) -> Checkout:
        try:
            return checkout_of(call())
        except stripe.StripeError as exc:
            raise _gateway_error(exc) from exc


def _metadata(data: dict[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in (data.get("metadata") or {}).items()}


def _created(data: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(data["created"]), UTC)


def _refund_move(data: dict[str, Any]) -> MoneyMove | None:
    """A refund this server asked for."""
    if _metadata(data).get("action") != ActionKind.REFUND.value:
        return None
    return _any_refund(data)


def _any_refund(data: dict[str, Any]) -> MoneyMove | None:
    """A refund that gave money back, whoever made it (a pending one has left the
    venue's balance too)."""
    if data.get("status") not in ("succeeded", "pending", "requires_action"):
        return None
    return _refund_of(data)


def _refund_of(data: dict[str, Any]) -> MoneyMove:
    return MoneyMove(
        kind=ActionKind.REFUND.value,
        ref=str(data["id"]),
        payment_ref=str(data.get("payment_intent") or ""),
        amount_pence=int(data.get("amount") or 0),
        currency=str(data.get("currency") or "").upper(),
        metadata=_metadata(data),
        created_at=_created(data),
    )


# Stripe's events for money moved: a PaymentIntent that took money (a hold captured among
# them), one cancelled (a hold let go), a refund made, and one the guest's bank sent back
# — in that order within one second, so a capture is recorded before a refund of it.
EVENTS = ("payment_intent.succeeded", "payment_intent.canceled", "refund.created", "refund.failed")


def event_move(event: dict[str, Any]) -> MoneyMove | None:
    """The money one of ``EVENTS`` says moved (None: a refund that moved none)."""
    data, at = event["data"]["object"], _created(event)
    match event["type"]:
        case "refund.created":
            refund = _any_refund(data)
            return replace(refund, created_at=at) if refund is not None else None
        case "refund.failed":
            why = str(data.get("failure_reason") or "unknown")
            return replace(_refund_of(data), created_at=at, failed=why)
        case "payment_intent.succeeded":
            return _intent_move(data, ActionKind.CLAIM, int(data.get("amount_received") or 0), at)
        case _:
            moved = _intent_move(data, ActionKind.RELEASE, int(data.get("amount") or 0), at)
            return replace(moved, cause=data.get("cancellation_reason"))


def _charge_move(data: dict[str, Any]) -> MoneyMove | None:
    """A saved card this server charged for a claim, if the charge went through."""
    if _metadata(data).get("action") != ActionKind.CLAIM.value or data.get("status") != "succeeded":
        return None
    amount = int(data.get("amount_received") or 0)
    return _intent_move(data, ActionKind.CLAIM, amount, _created(data))


def _intent_move(
    data: dict[str, Any], kind: ActionKind, amount: int, at: datetime | None
) -> MoneyMove:
    return MoneyMove(
        kind=kind.value,
        ref=str(data["id"]),
        payment_ref=str(data["id"]),
        amount_pence=amount,
        currency=str(data.get("currency") or "").upper(),
        metadata=_metadata(data),
        created_at=at,
    )


# Completed sessions whose card a manager's confirmation names ("the card ending 4242").
WITH_CARD = frozenset({SessionState.PAID, SessionState.HELD, SessionState.CARD_SAVED})


def _gateway_error(exc: stripe.StripeError) -> GatewayError:
    # Stripe's own advice: retry what it could not answer, never what it refused.
    retry = isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError) or (
        exc.http_status is not None and exc.http_status >= 500
    )
    return GatewayError(exc.user_message or str(exc), retry=retry, code=exc.code)


def checkout_params(request: CheckoutRequest) -> dict[str, Any]:
    """A Checkout Session for ``request``'s mode: take the deposit, hold it on the card
    (manual capture), or save the card for an off-session charge (setup mode)."""
    common: dict[str, Any] = {
        "metadata": request.metadata,
        "expires_at": int(request.expires_at.timestamp()),
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        # Cards only: a completed session is then paid or held at once (checkout_of), never
        # waiting days on a bank debit the Dashboard might otherwise offer.
        "payment_method_types": ["card"],
    }
    if request.mode is DepositMode.SAVE_CARD:
        return {
            **common,
            "mode": "setup",
            "currency": request.currency.lower(),
            "customer_creation": "always",
            "setup_intent_data": {"metadata": request.metadata, "description": request.description},
        }
    intent: dict[str, Any] = {"metadata": request.metadata}
    if request.mode is DepositMode.HOLD:
        intent["capture_method"] = "manual"
    return {
        **common,
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": request.currency.lower(),
                    "unit_amount": request.amount_pence,
                    "product_data": {"name": request.description},
                },
            }
        ],
        "payment_intent_data": intent,
    }


def checkout_of(session: Any) -> Checkout:
    """A Checkout Session (an SDK object, or an event's plain ``data.object``) as data."""
    data = session.to_dict() if hasattr(session, "to_dict") else dict(session)
    complete = data.get("status") == "complete"
    if complete and data.get("mode") == "setup":
        state = SessionState.CARD_SAVED
    elif complete and data.get("payment_status") == "paid":
        state = SessionState.PAID
    elif complete:
        # Complete but unpaid in payment mode: a card payment authorised for manual
        # capture (this server asks for cards only, so never a slow payment method).
        state = SessionState.HELD
    elif data.get("status") == "expired":
        state = SessionState.EXPIRED
    else:
        state = SessionState.OPEN
    intent = data.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    setup = data.get("setup_intent")
    if isinstance(setup, dict):
        setup = setup.get("id")
    return Checkout(
        id=str(data["id"]),
        url=data.get("url"),
        state=state,
        expires_at=datetime.fromtimestamp(int(data["expires_at"]), UTC),
        amount_pence=int(data.get("amount_total") or 0),
        currency=str(data.get("currency") or "").upper(),
        payment_ref=intent,
        setup_ref=setup,
        mode=_MODES.get(str(data.get("mode")), DepositMode.PAYMENT),
        metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
        created_at=datetime.fromtimestamp(int(data["created"]), UTC)
        if data.get("created")
        else None,
    )


_MODES = {"setup": DepositMode.SAVE_CARD, "payment": DepositMode.PAYMENT}
