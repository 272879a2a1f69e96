"""HTTP errors with a reason staff or a desk can show, and their OpenAPI shapes."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel


class ErrorBody(BaseModel):
    detail: str


def error(status: int, detail: str, headers: dict[str, str] | None = None) -> HTTPException:
    return HTTPException(status_code=status, detail=detail, headers=headers)


def described(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error codes an operation can answer with."""
    text = {
        400: "The request cannot be applied as it stands (a body that is not JSON)",
        401: "No valid token",
        403: "The token's role or venue may not do this",
        404: "Not found in this venue",
        409: "Refused because of the current state",
        410: "Gone (expired)",
        413: "Body too large",
        426: "The desk must be updated first",
        429: "Too many failed sign-ins",
        503: "A service this needs (Stripe) did not answer; retry",
    }
    return {code: {"model": ErrorBody, "description": text[code]} for code in codes}
