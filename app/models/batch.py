"""Rows a unit of work looks up one by one, read in one query first.

A pulled page writes hundreds of rows, each found by its key. ``Session.get`` answers
from the identity map only while something else holds the row (the map's references
are weak), and asks the database, after flushing every pending change, for each row it
does not have — including every row that does not exist yet. A 500-booking page did
that about 5,500 times (docs/benchmarks.md, "Sync").
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

K = TypeVar("K", bound=Hashable)
# Under SQLite's smallest limit on a statement's parameters (999 before 3.32).
CHUNK = 900


def rows_by_key(
    session: Session,
    model: type[Any],
    key: InstrumentedAttribute[Any],
    keys: Iterable[K],
    *where: ColumnElement[bool],
) -> dict[K, Any]:
    """Each key asked for, mapped to its row of ``model`` (``key`` equal to it, and
    ``where``), or to None where there is none. The dict holds the rows, so the session
    keeps them for as long as the caller does."""
    wanted = list(dict.fromkeys(keys))
    found: dict[Any, Any] = {}
    for at in range(0, len(wanted), CHUNK):
        chunk = wanted[at : at + CHUNK]
        for row in session.scalars(select(model).where(key.in_(chunk), *where)):
            found[getattr(row, key.key)] = row
    return {k: found.get(k) for k in wanted}
