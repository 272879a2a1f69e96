"""Text staff type or paste, made safe to store and to show.

Control characters (BEL, ESC, …) ring bells and recolour terminals; bidi
embeddings, overrides and isolates reorder the text around them, so a name can
be made to look like another. Neither has a place in a guest's name or a
booking's notes, and both are invisible in a form, so staff could not find them
to delete: they are stripped on the way in (``clean``), keeping line breaks and
tabs only where a field is several lines. Text that reached the desk before
this rule, or from elsewhere, is neutralised when shown (``shown``).
"""

from __future__ import annotations

import unicodedata

# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# The Unicode "control pictures" for C0 characters and DEL: ␇ for BEL, ␛ for ESC.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)} | {0x7F: "\u2421"}


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def clean(raw: str, *, multiline: bool = False) -> str:
    """``raw`` without control characters or bidi controls; tabs and line breaks kept
    only when ``multiline`` (otherwise they become spaces, so words stay apart)."""
    kept = []
    for ch in raw.replace("\r\n", "\n").replace("\r", "\n"):
        if ch in BIDI_CONTROLS:
            continue
        if ch in "\t\n":
            kept.append(ch if multiline else " ")
        elif not _is_control(ch):
            kept.append(ch)
    return "".join(kept)


def tidy(raw: str, *, multiline: bool = False) -> str:
    """``raw`` cleaned and trimmed; in a one-line field, runs of spaces made one."""
    text = clean(raw, multiline=multiline)
    return text.strip() if multiline else " ".join(text.split())


def shown(text: str) -> str:
    """``text`` as a terminal or a label may show it: controls drawn as their pictures
    (␛, ␇), bidi controls removed."""
    out = []
    for ch in text:
        if ch in BIDI_CONTROLS:
            continue
        if _is_control(ch) and ch != "\n":
            out.append(_PICTURES.get(ord(ch), "\ufffd"))
        else:
            out.append(ch)
    return "".join(out)
