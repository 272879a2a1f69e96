"""Booking references: short, unguessable, and safe to read over the phone.

Ten Crockford base32 characters carry 50 random bits from ``secrets``; an
eleventh is a Luhn mod 32 check character, which catches every single-character
typo and most swapped neighbours. Shown as ``7KQ2-M9XP-RT4``.
"""

from __future__ import annotations

import secrets

from app.domain.errors import InvalidReference

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's decoding: letters people confuse with digits read as those digits.
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})
DATA_CHARS = 10
RANDOM_BITS = DATA_CHARS * 5
LENGTH = DATA_CHARS + 1


def check_character(data: str) -> str:
    """Luhn mod N over the base32 values, N = 32."""
    n = len(ALPHABET)
    total = 0
    factor = 2
    for ch in reversed(data):
        addend = factor * _VALUE[ch]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def new_reference() -> str:
    value = secrets.randbits(RANDOM_BITS)
    data = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(DATA_CHARS))
    return data + check_character(data)


def format_reference(reference: str) -> str:
    return f"{reference[:4]}-{reference[4:8]}-{reference[8:]}"


def parse_reference(text: str) -> str:
    """Normalise what staff typed or heard; raise if it is not a valid reference."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_CONFUSIONS)
    if len(cleaned) != LENGTH:
        raise InvalidReference(
            f"'{text}' is not a booking reference: it should have {LENGTH} characters."
        )
    bad = sorted({ch for ch in cleaned if ch not in _VALUE})
    if bad:
        raise InvalidReference(
            f"'{text}' is not a booking reference: '{''.join(bad)}' cannot appear in one."
        )
    if check_character(cleaned[:-1]) != cleaned[-1]:
        raise InvalidReference(f"'{text}' does not check out: a character was probably misheard.")
    return cleaned
