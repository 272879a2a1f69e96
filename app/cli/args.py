"""Argument types for the command line: a value staff mistype is answered in plain words
("'2026-13-01' is not a date like 2026-11-28"), not with Python's names for it."""

from __future__ import annotations

import argparse
from datetime import date


def night_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date like 2026-11-28 (year-month-day)"
        ) from None


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number, like 4") from None
