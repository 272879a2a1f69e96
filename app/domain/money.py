"""Money in words: integer pence shown as pounds."""

from __future__ import annotations


def format_pence(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"
