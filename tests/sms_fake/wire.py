"""Twilio's wire: error objects, and the signature on what it posts to an app."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from starlette.responses import JSONResponse


def error(status: int, code: int, message: str) -> JSONResponse:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JSONResponse(body, status)


def sign(token: str, url: str, params: dict[str, str]) -> str:
    """Twilio's X-Twilio-Signature: base64 HMAC-SHA1 of the URL, then each parameter's
    name and value, sorted by name."""
    data = url + "".join(f"{k}{params[k]}" for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def form(url: str, params: dict[str, str], signature: str) -> dict[str, Any]:
    return {
        "url": url,
        "data": params,
        "headers": {
            "X-Twilio-Signature": signature,
            "User-Agent": "TwilioProxy/1.1",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    }
