"""Live updates: the server's ``/v1/sync/events`` stream says when newer changes exist.

A background thread keeps one server-sent-events connection open and calls
``on_change`` when the server's version passes the desk's cursor. When the
stream cannot be opened or breaks, it reconnects with exponential backoff and
jitter (tenacity); meanwhile ``connected`` is False and the runner polls.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

import httpx
import tenacity
from httpx_sse import SSEError, connect_sse

from app.sync.client import ServerApi, SyncProblem, check

log = logging.getLogger(__name__)
# The server sends a keep-alive every 15 s; three missed ones mean the line is dead.
READ_TIMEOUT = 45.0


class LiveEvents:
    def __init__(
        self,
        api: ServerApi,
        cursor: Callable[[], int],
        on_change: Callable[[], None],
        *,
        max_backoff: float = 30.0,
    ) -> None:
        self.api = api
        self.cursor = cursor
        self.on_change = on_change
        self.max_backoff = max_backoff
        self.connected = False
        self._stopping = threading.Event()
        self._response: httpx.Response | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="backroom-live-events", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        response = self._response
        if response is not None:
            response.close()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        retrying = tenacity.Retrying(
            stop=lambda _state: self._stopping.is_set(),
            wait=tenacity.wait_exponential_jitter(multiplier=0.5, max=self.max_backoff, jitter=1),
            retry=tenacity.retry_if_not_result(lambda _r: self._stopping.is_set()),
            sleep=self._stopping.wait,
            retry_error_callback=lambda _state: None,
        )
        retrying(self._listen_once)

    def _listen_once(self) -> bool:
        """Listen until the stream ends; whether the runner is stopping."""
        try:
            self._listen()
        except (httpx.HTTPError, SSEError, SyncProblem, OSError, ValueError, LookupError):
            pass
        except Exception:
            # Never let the listener die: polling covers for it while it reconnects.
            log.exception("live events failed")
        finally:
            self.connected = False
            self._response = None
        return self._stopping.is_set()

    def _listen(self) -> None:
        headers = {**self.api.headers, "Authorization": f"Bearer {self.api.token()}"}
        timeout = httpx.Timeout(READ_TIMEOUT, connect=5.0)
        with connect_sse(
            self.api.http, "GET", "/v1/sync/events", headers=headers, timeout=timeout
        ) as source:
            self._response = source.response
            check(source.response)
            self.connected = True
            # A desk that reconnects may have missed events: let it pull once.
            self.on_change()
            for event in source.iter_sse():
                if self._stopping.is_set():
                    return
                if event.event != "changes":
                    continue
                version = _version(event.id, event.data)
                if version is None or version > self.cursor():
                    self.on_change()


def _version(event_id: str | None, data: str) -> int | None:
    """The version an event announces; None when it cannot be read (then pull anyway)."""
    if event_id and event_id.isdigit():
        return int(event_id)
    try:
        body = json.loads(data)
        if isinstance(body, str):  # data that was JSON-encoded twice
            body = json.loads(body)
        return int(body["version"])
    except (ValueError, TypeError, LookupError):
        return None
