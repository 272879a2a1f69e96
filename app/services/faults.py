"""Faults of the desk's file in plain words, for the window (which sees no app.models)."""

from __future__ import annotations

from pathlib import Path

from app.models.faults import StoreFault, explain

__all__ = ["StoreFault", "explained"]


def explained(error: Exception, path: Path | None = None) -> Exception:
    """The plain-worded ``StoreFault`` that ``error`` means, or ``error`` itself."""
    return explain(error, path) or error
