"""What the fakes' tests share: a deposit link's parameters and a card as a payment method."""

from __future__ import annotations

from typing import Any


def deposit_link(stripe_fake: Any, amount: int = 8000, **extra: Any) -> dict[str, Any]:
    """A Checkout Session's parameters as a deposit request would send them."""
    return {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "gbp",
                    "unit_amount": amount,
                    "product_data": {"name": "Deposit: table for 8, Saturday"},
                },
            }
        ],
        "metadata": {"booking_id": "b-42", "mutation_id": "m-7"},
        "expires_at": stripe_fake.now() + 3600,
        "success_url": "https://backroom.example/paid",
        **extra,
    }


def card(client: Any, number: str) -> Any:
    """A payment method for a card number (both fakes take raw test numbers)."""
    return client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )


def charge_id(pi: Any) -> str:
    """localstripe returns latest_charge expanded; Stripe and our fake return its id."""
    latest = pi.to_dict()["latest_charge"]
    return latest if isinstance(latest, str) else latest["id"]
