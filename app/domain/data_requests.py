"""A guest's data-protection request: which guest it is about, found by what they give.

A guest asking for their data (UK GDPR Art. 15) names themselves by the phone or email
they booked with, or by a booking's reference. The key is read here once, for the
server's endpoint and command line alike: exactly one of the three, each normalised as
the desk stores it, so "07700 900123" finds the guest saved as +447700900123.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from app.domain.customer import normalise_email, normalise_phone
from app.domain.errors import InvalidInput, InvalidReference
from app.domain.references import format_reference, parse_reference


class FoundBy(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    REFERENCE = "reference"


@dataclass(frozen=True, slots=True)
class GuestKey:
    by: FoundBy
    # As stored: E.164, a normalised address, or a reference without its dashes.
    value: str

    def __str__(self) -> str:
        shown = format_reference(self.value) if self.by is FoundBy.REFERENCE else self.value
        return f"{self.by.value} {shown}"


def guest_key(
    *, phone: str | None = None, email: str | None = None, reference: str | None = None
) -> GuestKey:
    """The one key a request gives, normalised; refused if it gives none or several."""
    given = {
        FoundBy.PHONE: phone,
        FoundBy.EMAIL: email,
        FoundBy.REFERENCE: reference,
    }
    named = [(by, raw) for by, raw in given.items() if raw is not None and raw.strip()]
    if len(named) != 1:
        raise InvalidInput(
            "guest",
            "Give one of the guest's phone, email or a booking reference "
            f"(this request gave {_count(len(named))}).",
        )
    [(by, raw)] = named
    if by is FoundBy.PHONE:
        return GuestKey(by, normalise_phone(raw))
    if by is FoundBy.EMAIL:
        return GuestKey(by, normalise_email(raw) or "")
    try:
        return GuestKey(by, parse_reference(raw))
    except InvalidReference as bad:
        raise InvalidInput("reference", str(bad)) from None


def _count(n: int) -> str:
    return "none" if n == 0 else f"{n}"


def plain_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as the answer gives it: JSON's own types, every column."""
    return {column: _plain(value) for column, value in row.items()}


def _plain(value: Any) -> Any:
    """Ids and times as text (ISO 8601, as stored: UTC), a time range as its two ends."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "lower") and hasattr(value, "upper") and hasattr(value, "bounds"):
        return {"from": _plain(value.lower), "until": _plain(value.upper)}
    return value
