"""The ranges a booking's numbers must lie in, checked by every layer from here.

The form's spin boxes, the desk's use cases, the wire schema, the server's
judges and the central database's CHECK constraints all take these constants
(the central migration spells them as literals, and a test compares the two).
"""

from __future__ import annotations

from app.domain.errors import InvalidInput

MIN_DURATION = 15
MAX_DURATION = 12 * 60
MAX_PRIORITY = 1000
# No booking at any venue is bigger; the wire refuses larger numbers before a rule runs.
MAX_PARTY = 100
# The most tables one booking (a combination) may name.
MAX_TABLES = 8
# Where a table can be drawn, in the floor plan's units (a pixel at 100 %): far
# beyond any room, and always a finite number (NaN or infinity would poison sync).
MAX_COORDINATE = 100_000.0
MAX_TABLE_SIZE = 2_000.0
# A table's number, as staff read it out and the plan shows it.
MAX_TABLE_NUMBER = 9_999
# Any sum of money the desk records, in pence (£100,000: beyond any night at a bar).
MAX_PENCE = 10_000_000
# Text a booking carries (the wire's ShortText and Text).
MAX_OCCASION = 200
MAX_NOTES = 2_000
# How long the desk that cancelled a booking offers to undo it (docs/desk.md). The desk
# alone judges this: the server takes an undo whenever it arrives (desks go offline).
UNDO_CANCEL_MINUTES = 5


def check_party_size(party_size: int, largest: int) -> None:
    """A party of at least one guest that the venue can seat at once (``largest``)."""
    if party_size < 1:
        raise InvalidInput("party_size", "A party needs at least one guest.")
    if party_size > largest:
        raise InvalidInput(
            "party_size",
            f"A party of {party_size} is more than any table or combination seats "
            f"(largest {largest}); split the party or ask a manager.",
        )


def check_duration(minutes: int) -> None:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise InvalidInput(
            "duration",
            f"A booking lasts between {MIN_DURATION} minutes and {MAX_DURATION // 60} hours.",
        )


def check_priority(score: int) -> None:
    if not 0 <= score <= MAX_PRIORITY:
        raise InvalidInput("priority", f"Priority must be 0–{MAX_PRIORITY}.")


def check_spend(pence: int) -> None:
    """What a party spent: nothing or more, and a sum the desk can record."""
    if not 0 <= pence <= MAX_PENCE:
        raise InvalidInput("spend", f"A spend is £0–£{MAX_PENCE // 100:,}.")


def check_place(x: float, y: float, width: float, height: float, rotation: float) -> None:
    """A table's place on the plan: finite, on the plan, a size a table can be."""
    if not (-MAX_COORDINATE <= x <= MAX_COORDINATE and -MAX_COORDINATE <= y <= MAX_COORDINATE):
        raise InvalidInput("position", "A table must be placed on the floor plan.")
    if not (0 < width <= MAX_TABLE_SIZE and 0 < height <= MAX_TABLE_SIZE):
        raise InvalidInput("size", f"A table is between 1 and {MAX_TABLE_SIZE:,.0f} units wide.")
    if not -360 <= rotation <= 360:
        raise InvalidInput("rotation", "A table turns by at most a full circle either way.")


def check_booking_text(occasion: str, special_requests: str = "", notes: str = "") -> None:
    """The booking's free text fits what the desk and the server store."""
    for field, label, text, limit in (
        ("occasion", "An occasion", occasion, MAX_OCCASION),
        ("special_requests", "Special requests", special_requests, MAX_NOTES),
        ("notes", "Notes", notes, MAX_NOTES),
    ):
        if len(text) > limit:
            raise InvalidInput(
                field, f"{label} can be at most {limit} characters; this is {len(text)}."
            )


# A desk PIN: short enough to type at a busy bar, long enough that it is not a guess.
MIN_PIN = 4
MAX_PIN = 8


def check_pin_format(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise InvalidInput("pin", f"A PIN is {MIN_PIN} to {MAX_PIN} digits.")
