"""The desk's HTTP calls to the central server, and what can go wrong with them.

Every call has explicit timeouts on an injected ``httpx.Client`` and is retried
with exponential backoff and jitter (tenacity) when retrying can help: the
server was unreachable, timed out, broke the connection or answered 5xx. Every
failure becomes a ``SyncProblem`` whose message is written for the receptionist.
Retrying a push is safe: the server answers a repeated intent with its stored
outcome.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
import tenacity
from pydantic import BaseModel, ValidationError

from app import protocol as p
from app.sync.status import Cure

M = TypeVar("M", bound=BaseModel)

TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=20.0, pool=5.0)


class SyncProblem(Exception):
    """Something stopped a sync; ``str()`` is shown to staff as it is."""

    retryable = False
    # What a person can do on this desk to put it right, when something can.
    cure: Cure | None = None


class Offline(SyncProblem):
    retryable = True


class ServerTrouble(SyncProblem):
    """The server answered, but with an error or something unreadable."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class UpdateRequired(SyncProblem):
    pass


class NotSignedIn(SyncProblem):
    pass


class Refused(SyncProblem):
    """The server refused a request as it stands (4xx with a reason)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How long one call keeps trying before the desk reports a problem."""

    attempts: int = 4
    max_seconds: float = 30.0
    wait: Any = field(
        default_factory=lambda: tenacity.wait_exponential_jitter(multiplier=0.5, max=8, jitter=1)
    )
    sleep: Callable[[float], None] = time.sleep

    def retrying(self) -> tenacity.Retrying:
        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts)
            | tenacity.stop_after_delay(self.max_seconds),
            wait=self.wait,
            retry=tenacity.retry_if_exception(lambda e: isinstance(e, SyncProblem) and e.retryable),
            sleep=self.sleep,
            reraise=True,
        )


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else ""


class ServerApi:
    """Typed calls to the server; the token is looked up at each call."""

    def __init__(
        self,
        http: httpx.Client,
        token: Callable[[], str],
        *,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        protocol_version: int = p.PROTOCOL_VERSION,
        schema_version: int = p.SCHEMA_VERSION,
    ) -> None:
        self.http = http
        self.token = token
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.headers = {
            "X-Backroom-Protocol": str(protocol_version),
            "X-Backroom-Schema": str(schema_version),
        }
        # The server's own clock, read from the last answer's Date header.
        self.last_response: httpx.Response | None = None

    def server_now(self) -> datetime | None:
        """The server's clock as of the last answer (its Date header), if it sent one."""
        date = self.last_response.headers.get("date") if self.last_response else None
        if not date:
            return None
        try:
            return parsedate_to_datetime(date)
        except (TypeError, ValueError):
            return None

    # --- the calls ---------------------------------------------------------

    def push(self, device_id: str, bodies: list[str]) -> p.PushResponse:
        """Send intents exactly as the journal stored them (their JSON, byte for byte)."""
        content = f'{{"device_id":"{device_id}","mutations":[{",".join(bodies)}]}}'
        return self._call(
            "POST",
            "/v1/sync/push",
            p.PushResponse,
            content=content.encode(),
            headers={"Content-Type": "application/json"},
        )

    def changes(self, after: int, limit: int, lineage: str | None = None) -> p.ChangesPage:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if lineage is not None:
            params["lineage"] = lineage
        return self._call("GET", "/v1/sync/changes", p.ChangesPage, params=params)

    def take_hold(self, request: p.HoldRequest) -> p.HoldGranted:
        body = request.model_dump(mode="json")
        return self._call("POST", "/v1/holds", p.HoldGranted, json=body)

    def renew_hold(self, hold_id: str) -> p.HoldGranted:
        return self._call("POST", f"/v1/holds/{hold_id}/renew", p.HoldGranted)

    def release_hold(self, hold_id: str) -> None:
        self._call("POST", f"/v1/holds/{hold_id}/release", None)

    # --- plumbing ----------------------------------------------------------

    def _call(self, method: str, path: str, model: type[M] | None, **kwargs: Any) -> Any:
        for attempt in self.retry.retrying():
            with attempt:
                return self._once(method, path, model, **kwargs)
        raise AssertionError("unreachable")  # reraise=True ends the loop with the error

    def _once(
        self,
        method: str,
        path: str,
        model: type[M] | None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = {**self.headers, **(headers or {}), "Authorization": f"Bearer {self.token()}"}
        try:
            response = self.http.request(
                method, path, headers=headers, timeout=self.timeout, **kwargs
            )
        except httpx.TimeoutException:
            raise Offline("The server did not answer in time.") from None
        except (httpx.ReadError, httpx.RemoteProtocolError):
            raise Offline("The connection to the server broke off before it answered.") from None
        except (httpx.TransportError, OSError):
            raise Offline("The server cannot be reached.") from None
        self.last_response = response
        check(response)
        if model is None:
            return None
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise ServerTrouble(
                "The server sent an answer this desk cannot read.", retryable=True
            ) from None


def check(response: httpx.Response) -> None:
    """Raise the staff-worded problem a status code means."""
    status = response.status_code
    if status < 400:
        return
    detail = _detail(response)
    if status == 426:
        raise UpdateRequired(detail or "This desk must be updated before it can sync.")
    if status in (401, 403):
        raise NotSignedIn(
            "This desk is no longer signed in to the server. Ask a manager to register "
            f"it again; nothing saved here is lost. ({detail or status})"
        )
    if status >= 500:
        raise ServerTrouble(f"The server has a problem (error {status}).", retryable=True)
    raise Refused(status, detail or f"The server refused the request (error {status}).")
