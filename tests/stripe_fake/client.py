"""A test's handle on a running fake: its addresses, an SDK client, and the /_fake controls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

API_KEY = "sk_test_backroom_fake"
WEBHOOK_SECRET = "whsec_backroom_fake_0123456789abcdef"


@dataclass
class StripeFake:
    url: str
    api_key: str = API_KEY
    webhook_secret: str = WEBHOOK_SECRET
    _http: httpx.Client | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def http(self) -> httpx.Client:
        """One client kept for the fake's controls: a new one per call builds an SSL
        context each time (~20 ms), which the simulator's per-step calls would pay."""
        if self._http is None:
            self._http = httpx.Client(base_url=self.url, timeout=60)
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def client(self, **options: Any) -> Any:
        """The real SDK pointed at the fake; no retries unless a test asks for them."""
        import stripe  # the server extra's; a desk-only install never gets here

        options.setdefault("max_network_retries", 0)
        return stripe.StripeClient(self.api_key, base_addresses={"api": self.url}, **options)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        answer = self.http.request(method, f"/_fake{path}", json=body)
        if answer.status_code >= 400:
            raise FakeRefused(answer.status_code, answer.json())
        return answer.json()

    # ---- the guest, the clock, the books --------------------------------------------
    def pay(self, session_id: str, card: str = "4242424242424242", email: str | None = None):
        """Pays a Checkout Session as the guest would on Stripe's page (3D Secure passed)."""
        return self._call(
            "POST", f"/checkout/sessions/{session_id}/pay", {"card": card, "email": email}
        )

    def fail_refund(self, refund_id: str, reason: str = "expired_or_canceled_card") -> Any:
        """The guest's bank sends the refund back (a card closed since): Stripe marks it
        failed, puts the money back in the balance and sends ``refund.failed``."""
        return self._call("POST", f"/refunds/{refund_id}/fail", {"reason": reason})

    def now(self) -> int:
        return int(self._call("GET", "/clock")["now"])

    def advance(self, seconds: float) -> int:
        return int(self._call("POST", "/clock", {"advance": seconds})["now"])

    def set_now(self, unix: int) -> int:
        return int(self._call("POST", "/clock", {"now": unix})["now"])

    def counts(self) -> dict[str, int]:
        """Objects created at the fake, by Stripe object type (replays create none)."""
        return dict(self._call("GET", "/counts")["objects"])

    def calls(self) -> dict[str, int]:
        """API requests that ran an endpoint ("requests") and replayed ones ("replays")."""
        return dict(self._call("GET", "/counts")["calls"])

    def reset(self) -> None:
        self._call("POST", "/reset")

    # ---- webhooks --------------------------------------------------------------------
    def configure_webhook(
        self, url: str | None, *, mode: str = "manual", secret: str | None = None
    ) -> None:
        """``manual``: events wait for deliver()/drop(); ``auto``: each is sent once, in order."""
        self._call(
            "POST", "/webhook", {"url": url, "mode": mode, "secret": secret or self.webhook_secret}
        )

    def pending(self) -> list[dict[str, str]]:
        return list(self._call("GET", "/webhook/pending"))

    def deliver(
        self,
        event_ids: list[str] | None = None,
        *,
        signed_at: int | None = None,
        secret: str | None = None,
    ) -> list[dict[str, Any]]:
        """Sends the given events (again, if already sent) in that order, or all pending.
        ``signed_at`` backdates the signature; ``secret`` signs with a wrong one (forgery)."""
        return list(
            self._call(
                "POST",
                "/webhook/deliver",
                {"events": event_ids, "signed_at": signed_at, "secret": secret},
            )
        )

    def drop(self, event_ids: list[str] | None = None) -> list[str]:
        """Lost webhooks: these pending events are never delivered."""
        return list(self._call("POST", "/webhook/drop", {"events": event_ids}))

    def deliveries(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/webhook/deliveries"))


class FakeRefused(Exception):
    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status}: {body}")
        self.status, self.body = status, body
