"""What a message says about one booking, as the text fields its templates fill in.

Times are said in the venue's zone through ``Venue`` (its service-day rule): a booking
at 00:30 on Sunday is "Saturday night". SMS fields are cut and made GSM-7 here so
that no template can overflow an SMS by a guest's or a venue's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.deposits import format_pence
from app.domain.messages.gsm import BASIC, to_gsm
from app.domain.references import format_reference
from app.domain.venue import Venue

# The longest guest name an SMS is guaranteed to fit (issue 16), a venue's name in an
# SMS (its sender name), and a link an SMS carries; a longer link is left to the email.
SMS_NAME_CHARS = 20
SMS_VENUE_CHARS = 16
SMS_LINK_CHARS = 32
NO_SMS_LINK = "the link in our email"


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything a template may say; ``None`` where it does not apply."""

    venue: Venue
    guest_name: str
    reference: str
    start: datetime
    party_size: int
    # The venue's name as SMS sender, when shorter than its full name.
    venue_sms_name: str | None = None
    previous_start: datetime | None = None
    deposit_pence: int = 0
    refund_pence: int = 0
    # The payment link in full (email) and, when the server has one, a short one (SMS).
    link: str | None = None
    short_link: str | None = None
    # The deposit link's deadline, or the end of a waitlist offer's hold.
    deadline: datetime | None = None
    # Why the venue cancelled (an unpaid link's release): a sentence, for the email.
    reason: str | None = None
    # The package pre-ordered with the table, in words (app.domain.packages); "": none.
    package: str = ""


def when_long(venue: Venue, instant: datetime) -> str:
    """``Saturday 5 December at 21:00``; after midnight ``Saturday night, 00:30
    (the early hours of Sunday 6 December)``, so nobody comes a day late or early."""
    day = venue.service_day(instant)
    local = venue.local(instant)
    clock = venue.show_time(instant)
    if local.date() == day:
        return f"{day:%A} {day.day} {day:%B} at {clock}"
    return f"{day:%A} night, {clock} (the early hours of {local:%A} {local.day} {local:%B})"


def sms_text(text: str) -> str:
    """``text`` in GSM-7's basic table on one line, so each character is one septet."""
    return " ".join("".join(c for c in to_gsm(text) if c in BASIC).split())


def sms_first_name(name: str) -> str:
    words = sms_text(name).split()
    return (words[0] if words else "")[:SMS_NAME_CHARS]


def _sms_link(f: Facts) -> str:
    link = f.short_link or f.link or ""
    return link if link and len(link) <= SMS_LINK_CHARS else NO_SMS_LINK


# Every placeholder a template may use, and how it is filled in (empty where it does
# not apply).
_FILL: dict[str, Callable[[Facts], str]] = {
    "guest": lambda f: f.guest_name,
    "first": lambda f: sms_first_name(f.guest_name),
    "venue": lambda f: f.venue.name,
    "venue_sms": lambda f: sms_text(f.venue_sms_name or f.venue.name)[:SMS_VENUE_CHARS].strip(),
    "ref": lambda f: format_reference(f.reference),
    "party": lambda f: str(f.party_size),
    "guests": lambda f: "1 guest" if f.party_size == 1 else f"{f.party_size} guests",
    "when": lambda f: when_long(f.venue, f.start),
    "when_short": lambda f: f.venue.show_day_time(f.start),
    "was": lambda f: when_long(f.venue, f.previous_start) if f.previous_start else "",
    "was_short": lambda f: f.venue.show_day_time(f.previous_start) if f.previous_start else "",
    "amount": lambda f: format_pence(f.deposit_pence),
    "refund": lambda f: format_pence(f.refund_pence),
    "link": lambda f: f.link or "",
    "sms_link": _sms_link,
    "deadline": lambda f: when_long(f.venue, f.deadline) if f.deadline else "",
    "deadline_short": lambda f: f.venue.show_day_time(f.deadline) if f.deadline else "",
    "until": lambda f: f.venue.show_time(f.deadline) if f.deadline else "",
    "why": lambda f: f"\n\n{f.reason}" if f.reason else "",
    "package": lambda f: f.package,
    "package_note": lambda f: f"\n\nPre-ordered with your table: {f.package}." if f.package else "",
}
FIELDS = frozenset(_FILL)


class _Fields(dict[str, str]):
    """The fields, each worked out the first time a template asks for it: a message
    uses a few of them, and the times said in words are most of the cost."""

    __slots__ = ("_facts",)

    def __init__(self, facts: Facts) -> None:
        super().__init__()
        self._facts = facts

    def __missing__(self, name: str) -> str:
        value = self[name] = _FILL[name](self._facts)
        return value


def fields(f: Facts) -> dict[str, str]:
    """Every placeholder a template may use (``FIELDS``), filled in when it is asked for."""
    return _Fields(f)
