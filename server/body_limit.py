"""The request body limit, answered in JSON like every other refusal.

FastAPI's own ``max_body_size`` answers a declared Content-Length over the limit
with Starlette's plain-text "Content Too Large" (JSON only when the body is
chunked). A desk reads every refusal as ``{"detail": …}``, so the limit lives
here instead: a declared length over it is refused before anything is read, and
a body that turns out longer while it streams is refused as soon as it passes
the limit (the route's read raises, and the exception handlers answer in JSON).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "The request body is larger than this server accepts ({limit} bytes)."


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = TOO_LARGE.format(limit=self.limit)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, detail)
            return message

        await self.app(scope, limited, send)
