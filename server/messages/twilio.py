"""SMS through a provider shaped like Twilio's Messages API, over httpx.

``POST {base}/2010-04-01/Accounts/{sid}/Messages.json`` with ``To``, ``From``,
``Body`` and ``StatusCallback`` as a form, HTTP basic auth with the account sid and
auth token; ``201`` with the message resource (``sid`` ``SM…``, ``status``
``queued``), or an error object ``{code, message, status}``.
(https://www.twilio.com/docs/messaging/api/message-resource)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from server.messages.ports import SendFailed, Sent, Sms

# Twilio's codes for a recipient who can never be texted from this number.
OPTED_OUT = "21610"


@dataclass(frozen=True, slots=True)
class SmsConfig:
    account_sid: str
    auth_token: str
    from_number: str
    api_base: str = "https://api.twilio.com"
    timeout: float = 20.0

    @property
    def messages_url(self) -> str:
        return f"{self.api_base.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"


class TwilioSms:
    def __init__(self, config: SmsConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        self.client = client or httpx.Client(timeout=config.timeout)

    def _auth(self) -> tuple[str, str]:
        return self.config.account_sid, self.config.auth_token

    def send_sms(self, sms: Sms) -> Sent:
        form = {"To": sms.to, "From": self.config.from_number, "Body": sms.body}
        if sms.status_callback:
            form["StatusCallback"] = sms.status_callback
        try:
            answer = self.client.post(self.config.messages_url, data=form, auth=self._auth())
        except httpx.HTTPError as e:
            raise SendFailed(f"the SMS provider could not be reached: {e}", retryable=True) from e
        if answer.status_code in (200, 201):
            body = answer.json()
            return Sent(provider_id=str(body["sid"]), status=str(body.get("status", "queued")))
        raise _failure(answer)

    def find_sent(self, sms: Sms, since: datetime) -> list[Sent]:
        """Twilio filters the list by day only (``DateSent>=``); the rest is matched here."""
        params = {
            "To": sms.to,
            "From": self.config.from_number,
            "DateSent>": since.date().isoformat(),
            "PageSize": "100",
        }
        try:
            answer = self.client.get(self.config.messages_url, params=params, auth=self._auth())
        except httpx.HTTPError as e:
            raise SendFailed(f"the SMS provider could not be reached: {e}", retryable=True) from e
        if answer.status_code != 200:
            raise _failure(answer)
        earliest = since.replace(microsecond=0)  # Twilio's dates are to the second
        return [
            Sent(provider_id=str(m["sid"]), status=str(m.get("status")))
            for m in answer.json().get("messages", [])
            if m.get("body") == sms.body and _created(m) >= earliest
        ]


def _created(message: dict[str, Any]) -> datetime:
    return parsedate_to_datetime(str(message["date_created"]))


def _failure(answer: httpx.Response) -> SendFailed:
    try:
        body = answer.json()
    except ValueError:
        body = {}
    code = str(body.get("code", "")) or None
    said = body.get("message") or answer.text[:200] or answer.reason_phrase
    retryable = answer.status_code == 429 or answer.status_code >= 500
    return SendFailed(
        f"the SMS provider answered {answer.status_code}: {said}", retryable=retryable, code=code
    )
