"""Forgetting a guest at their request (UK GDPR Art. 17): what is erased, what is kept,
and when it must wait.

Erased: who they are (name, phone, email, notes, tags, consent answers, the VIP flag)
and the words staff wrote about them or their bookings (special requests, occasion,
notes), wherever a copy of them was kept. Kept: that a party of so many sat at a table
at a time, and the money — what was paid, refunded or claimed, which the venue's
accounts must keep — so the night's figures and the deposit ledger still add up.

An erasure waits while the guest still has a booking to come or money in the air:
staff settle those first (an erased guest could not be recognised at the door, and a
card hold must be claimed or released by someone who can see whose it is).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.booking import Booking, BookingStatus, DepositState
from app.domain.customer import Customer
from app.domain.references import format_reference

ERASED_NAME = "Erased guest"

S = BookingStatus
# A booking still to be settled: to come, under way, waiting, or in conflict.
_UNSETTLED = frozenset({S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED, S.CONFLICT})
# Money a link, a card hold or a saved card may still move.
_MONEY_IN_THE_AIR = frozenset({DepositState.REQUESTED, DepositState.HELD, DepositState.CARD_SAVED})
# Keys of a guest's or a booking's words in any kept copy (a snapshot, a change's
# arguments, a message): cleared where the copy is the guest's. Staff's reasons (for a
# cancel, a waiver, a refund) are words about the booking too.
_WORDS = ("special_requests", "occasion", "notes", "note", "text", "body", "reason")
_SHOWN = 3


def erased_customer(c: Customer) -> Customer:
    """The guest's record with nothing left that says who they were."""
    return replace(
        c, name=ERASED_NAME, phone="", email=None, vip=False, tags=(), notes="", consent=()
    )


def erased_booking(b: Booking) -> Booking:
    """The booking as a party of so many at a table: its words gone, the rest kept."""
    return replace(b, special_requests="", occasion="", notes="")


def erasure_refusal(name: str, bookings: Iterable[Booking], zone: ZoneInfo) -> str | None:
    """Why the guest cannot be erased yet, in staff's words; None if they can."""
    waiting = [b for b in bookings if b.status in _UNSETTLED]
    if waiting:
        return (
            f"{name} still has {_listed(waiting, zone)}. Complete, cancel or mark each as a "
            "no-show first: an erased guest could not be recognised at the door."
        )
    owed = [b for b in bookings if b.deposit_state in _MONEY_IN_THE_AIR]
    if owed:
        return (
            f"A deposit of {name}'s is still open on {_listed(owed, zone)} (a payment link, "
            "a card hold or a saved card). Settle it first: claimed, released or refunded."
        )
    return None


def _listed(bookings: list[Booking], zone: ZoneInfo) -> str:
    shown = ", ".join(
        f"{format_reference(b.reference)} ({b.status.value}, "
        f"{b.start.astimezone(zone):%a %d %b %H:%M})"
        for b in sorted(bookings, key=lambda b: b.start)[:_SHOWN]
    )
    more = len(bookings) - _SHOWN
    what = "booking" if len(bookings) == 1 else "bookings"
    return f"{what} {shown}" + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True, slots=True)
class Traces:
    """What marks a kept copy as the erased guest's: their records' and bookings' ids,
    and the phones and emails they gave."""

    customer_ids: frozenset[str]
    booking_ids: frozenset[str]
    addresses: frozenset[str]

    def owns(self, value: Mapping[str, Any]) -> bool:
        """A snapshot or a change's arguments about the guest or one of their bookings."""
        customer = value.get("customer")
        return (
            str(value.get("id")) in self.customer_ids | self.booking_ids
            or str(value.get("customer_id")) in self.customer_ids
            or str(value.get("booking_id")) in self.booking_ids
            or value.get("phone") in self.addresses
            or value.get("email") in self.addresses
            or (isinstance(customer, Mapping) and self.owns(customer))
        )

    def someone_else(self, value: Mapping[str, Any]) -> bool:
        """A snapshot that names another guest or booking: left as it is."""
        named = value.get("id") or value.get("customer_id") or value.get("booking_id")
        return named is not None and not self.owns(value)


def scrubbed(value: Any, traces: Traces, *, owned: bool = False) -> Any:
    """A kept JSON copy (an audit snapshot, a refused change, a conflict's detail) with the
    guest's identity and words taken out. ``owned``: the copy as a whole is about the
    guest (an audit event of their booking), so its words go even where no id says so."""
    if isinstance(value, list):
        return [scrubbed(v, traces, owned=owned) for v in value]
    if isinstance(value, str):
        return "" if value in traces.addresses else value
    if not isinstance(value, Mapping):
        return value
    mine = traces.owns(value) or (owned and not traces.someone_else(value))
    out: dict[str, Any] = {}
    for key, v in value.items():
        if mine and key in _WORDS and isinstance(v, str):
            out[key] = ""
        else:
            out[key] = scrubbed(v, traces, owned=mine)
    if mine and ("phone" in value or "email" in value):
        out.update({k: v for k, v in _CLEARED_GUEST.items() if k in value})
    return out


def unnamed(text: str, names: Iterable[str], addresses: Iterable[str]) -> str:
    """Words written for staff (a notice, a reason) with the guest's name, phone and email
    taken out where they appear."""
    for name in sorted((n for n in names if n and n != ERASED_NAME), key=len, reverse=True):
        text = text.replace(name, ERASED_NAME)
    for address in addresses:
        if address:
            text = text.replace(address, "")
    return text


_CLEARED_GUEST: dict[str, Any] = {
    "name": ERASED_NAME,
    "phone": "",
    "email": None,
    "vip": False,
    "tags": [],
    "notes": "",
    "consent": [],
}


def erased_words(at: datetime, zone: ZoneInfo) -> str:
    """Why a change to an erased guest's record is refused."""
    return (
        "This guest asked to be forgotten, and their record was erased on "
        f"{at.astimezone(zone):%a %d %b %Y}. Book them as a new guest if they book again."
    )
