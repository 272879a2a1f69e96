"""The fake's state: the messages it took or received, opted-out numbers, injected failures."""

from __future__ import annotations

import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "backroom-fake-auth-token-0123456789"
FROM_NUMBER = "+447700900000"
API_VERSION = "2010-04-01"
# Twilio's default opt-out and opt-in keywords, as whole messages in any case
# (https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out). Written out here,
# not imported from the code under test.
OPT_OUT_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
OPT_IN_WORDS = {"START", "UNSTOP"}


def new_sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


def rfc2822(at: datetime) -> str:
    return format_datetime(at.astimezone(UTC).replace(microsecond=0), usegmt=False)


@dataclass
class Failure:
    status: int
    code: int | None
    message: str


@dataclass
class Store:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    from_number: str = FROM_NUMBER
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Every message resource, outbound and inbound, oldest first.
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The parameters each inbound message was posted with (to replay it).
    inbound: dict[str, dict[str, str]] = field(default_factory=dict)
    # Where each outbound message's status callbacks go.
    callbacks: dict[str, str] = field(default_factory=dict)
    opted_out: set[str] = field(default_factory=set)
    failures: deque[Failure] = field(default_factory=deque)
    # Requests to create a message: all of them, and those that made one.
    create_requests: int = 0
    # What the fake posted (callbacks, inbound) and what it was answered.
    posts: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.messages.clear()
        self.callbacks.clear()
        self.inbound.clear()
        self.opted_out.clear()
        self.failures.clear()
        self.create_requests = 0
        self.posts.clear()

    def uri(self, sid: str) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"

    def resource(self, *, to: str, from_: str, body: str, direction: str, status: str) -> dict:
        sid, now = new_sid(), datetime.now(UTC)
        message = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": rfc2822(now),
            "date_sent": rfc2822(now) if direction == "inbound" else None,
            "date_updated": rfc2822(now),
            "direction": direction,
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": str(1 if len(body) <= 160 else -(-len(body) // 153)),
            "price": None,
            "price_unit": "GBP",
            "sid": sid,
            "status": status,
            "subresource_uris": {"media": self.uri(sid).replace(".json", "/Media.json")},
            "to": to,
            "uri": self.uri(sid),
        }
        self.messages[sid] = message
        return message
