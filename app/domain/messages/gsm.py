"""The GSM 03.38 alphabet (3GPP TS 23.038): what an SMS can carry at 160 characters.

A message made only of these characters travels as GSM-7: 160 septets in one SMS.
One character outside them turns the whole message into UCS-2, 70 characters per
SMS, so a confirmation that fitted becomes three billed parts. The extension table's
characters are sent as an escape plus a character, so each counts two septets.
"""

from __future__ import annotations

import unicodedata

SMS_SEPTETS = 160

# The default alphabet, in code order 0x00-0x7F; 0x1B (the escape to the extension
# table) is not a character of its own and is left out.
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# The extension table: form feed, ^ { } \ [ ~ ] | and the euro sign.
EXTENSION = frozenset("\f^{}\\[~]|€")

# What a guest's name or a venue's name is most likely to hold that GSM-7 lacks.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "`": "'",
    }
)


def is_gsm(text: str) -> bool:
    return all(ch in BASIC or ch in EXTENSION for ch in text)


def not_gsm(text: str) -> list[str]:
    """The characters of ``text`` that GSM-7 cannot carry, in order, once each."""
    return list(dict.fromkeys(ch for ch in text if ch not in BASIC and ch not in EXTENSION))


def septets(text: str) -> int:
    """The length of ``text`` on the air as GSM-7; raises if it is not GSM-7."""
    missing = not_gsm(text)
    if missing:
        raise ValueError(f"not GSM-7: {''.join(missing)!r}")
    return sum(2 if ch in EXTENSION else 1 for ch in text)


def to_gsm(text: str) -> str:
    """``text`` with every character GSM-7 lacks replaced by its nearest plain letter
    (Zoë → Zoe, Łukasz → Lukasz), or dropped when it has none (emoji)."""
    out = []
    for ch in text.translate(_PLAIN):
        if ch in BASIC or ch in EXTENSION:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and is_gsm(base) else _FALLBACK.get(ch, ""))
    return "".join(out)


# Letters with no decomposition to a plain one.
_FALLBACK = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "œ": "oe", "Œ": "OE"}
