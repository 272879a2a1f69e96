"""What a guest's SMS reply asks for.

Replies are digits: **1** confirms a booking or takes a waitlist offer, **9** cancels
or passes it on. Words are never read as yes or no, because carriers treat YES, STOP
and their kin as opt-in and opt-out keywords.

Opt-out. Twilio blocks a number on its own when the whole message is one of STOP,
STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE or OPTOUT (any case; a message with
more words does not trigger it), and lifts the block on START or UNSTOP
(https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out). We suppress the
number on every one of those single words, so we never try to send what the carrier
would refuse. We also suppress when a longer message *starts* with STOP, STOPALL,
UNSUBSCRIBE, OPTOUT or REVOKE ("Stop please", "STOP texting me"): in doubt, a guest
who may have asked us to stop is not texted again. CANCEL, END and QUIT followed by
more words ("cancel my booking please") are most likely about the booking, so those
go to staff instead. Every reply, whatever its action, is kept on the booking for
staff to read.

Which booking. A reply belongs to the booking the number was last asked about; if
the guest has another booking waiting for an answer on the same service day, "1"
cannot say which, and staff decide.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
# Opt-out words that mean "stop" even with more words after them.
OPT_OUT_LEADING = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "OPTOUT", "REVOKE"})
OPT_IN = frozenset({"START", "UNSTOP"})

# One digit, then at most some punctuation or a keycap sign (1️⃣).
_DIGIT = re.compile(r"^([19])[\ufe0f\u20e3.!,;:)\s]*$")
_WORD = re.compile(r"[A-Z]+(?:-[A-Z]+)?")


class Action(StrEnum):
    CONFIRM = "confirm"  # 1 to a booking
    CANCEL = "cancel"  # 9 to a booking
    ACCEPT_OFFER = "accept_offer"  # 1 to a waitlist offer
    DECLINE_OFFER = "decline_offer"  # 9 to a waitlist offer
    OPT_OUT = "opt_out"  # suppress the number
    OPT_IN = "opt_in"  # lift our suppression (the carrier lifted its own)
    STAFF = "staff"  # shown to staff, nothing done


class Asked(StrEnum):
    BOOKING = "booking"
    OFFER = "offer"


@dataclass(frozen=True, slots=True)
class Awaiting:
    """A booking of this number's guest that a message asked about and that may still
    be answered (not cancelled, not finished; an offer still held)."""

    booking_id: str
    asked: Asked
    service_day: date
    asked_at: datetime


@dataclass(frozen=True, slots=True)
class Reply:
    action: Action
    booking_id: str | None = None
    why: str = ""


def parse_reply(text: str, awaiting: Sequence[Awaiting]) -> Reply:
    """The action a reply asks for; ``STAFF`` with the reason whenever it is not clear."""
    plain = unicodedata.normalize("NFKC", text).strip()
    words = _WORD.findall(plain.upper())
    keyword = _keyword(plain, words)
    if keyword is not None:
        return keyword
    digit = _DIGIT.match(plain)
    if digit is None:
        return Reply(Action.STAFF, _latest_id(awaiting), "not a 1 or a 9")
    return _for_booking(digit.group(1), awaiting)


def _keyword(plain: str, words: list[str]) -> Reply | None:
    if not words:
        return None
    alone = len(words) == 1 and re.fullmatch(r"[A-Za-z-]+[.!\s]*", plain) is not None
    first = words[0].replace("-", "")
    leading = plain.upper().startswith(words[0]) and first in OPT_OUT_LEADING
    if (alone and first in OPT_OUT) or leading:
        return Reply(Action.OPT_OUT, why=f"the guest replied {words[0]}")
    if alone and first in OPT_IN:
        return Reply(Action.OPT_IN, why=f"the guest replied {words[0]}")
    return None


def _for_booking(digit: str, awaiting: Sequence[Awaiting]) -> Reply:
    if not awaiting:
        return Reply(Action.STAFF, None, "no booking of this number is waiting for a reply")
    latest = max(awaiting, key=lambda a: a.asked_at)
    same_night = [a for a in awaiting if a.service_day == latest.service_day]
    if len({a.booking_id for a in same_night}) > 1:
        return Reply(Action.STAFF, latest.booking_id, "two bookings that night: which is meant?")
    match (digit, latest.asked):
        case ("1", Asked.BOOKING):
            action = Action.CONFIRM
        case ("9", Asked.BOOKING):
            action = Action.CANCEL
        case ("1", Asked.OFFER):
            action = Action.ACCEPT_OFFER
        case _:
            action = Action.DECLINE_OFFER
    return Reply(action, latest.booking_id)


def _latest_id(awaiting: Sequence[Awaiting]) -> str | None:
    return max(awaiting, key=lambda a: a.asked_at).booking_id if awaiting else None
