"""The signature on a webhook from the SMS provider, as Twilio defines it.

The full URL Twilio called (with its query string), then every POST parameter
sorted by name with its value appended (name, value, no separators), signed with
HMAC-SHA1 under the account's auth token and base64-encoded, in the
``X-Twilio-Signature`` header.
(https://www.twilio.com/docs/usage/webhooks/webhooks-security)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

HEADER = "X-Twilio-Signature"


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """A repeated parameter contributes each of its values, in sorted order, as
    Twilio's own helper libraries do."""
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def valid_signature(
    auth_token: str, url: str, params: Iterable[tuple[str, str]], header: str | None
) -> bool:
    if not header or not auth_token:
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, params), header)
