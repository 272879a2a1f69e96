"""A test's handle on a running SMS fake: its address, its account, and the /_fake controls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.sms_fake.store import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER


@dataclass
class SmsFake:
    url: str
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    from_number: str = FROM_NUMBER
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60), repr=False)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        answer = self.http.request(method, f"{self.url}/_fake{path}", json=body)
        answer.raise_for_status()
        return answer.json()

    def reset(self) -> None:
        self._call("POST", "/reset")

    def sent(self) -> list[dict[str, Any]]:
        """Every message the fake took, oldest first, as Twilio's resources."""
        return list(self._call("GET", "/sent")["messages"])

    def create_requests(self) -> int:
        return int(self._call("GET", "/sent")["create_requests"])

    def fail_next(
        self, status: int, *, times: int = 1, code: int | None = None, message: str = "fake"
    ) -> None:
        """The next ``times`` sends are answered with this error instead."""
        self._call(
            "POST", "/fail", {"status": status, "times": times, "code": code, "message": message}
        )

    def report(self, sid: str, status: str, *, token: str | None = None) -> dict[str, Any]:
        """The carrier reports on a message: its status callback is posted (signed)."""
        return dict(
            self._call("POST", f"/messages/{sid}/status", {"status": status, "token": token})
        )

    def reply(self, from_: str, body: str, url: str, *, token: str | None = None) -> dict[str, Any]:
        """A guest texts the venue; the inbound webhook is posted to ``url``."""
        return dict(
            self._call(
                "POST", "/inbound", {"from": from_, "body": body, "url": url, "token": token}
            )
        )

    def replay(self, sid: str, url: str) -> dict[str, Any]:
        """The same inbound webhook posted again (Twilio retries; an attacker replays)."""
        return dict(self._call("POST", "/inbound", {"replay": sid, "url": url}))

    def posts(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/posts"))

    def opted_out(self) -> list[str]:
        return list(self._call("GET", "/opted_out"))
