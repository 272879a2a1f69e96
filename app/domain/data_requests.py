"""A guest's data-protection request: which guest it is about, found by what they give.

A guest asking for their data (UK GDPR Art. 15) names themselves by the phone or email
they booked with, or by a booking's reference. The key is read here once, for the
server's endpoint and command line alike: exactly one of the three, each normalised as
the desk stores it, so "07700 900123" finds the guest saved as +447700900123.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
