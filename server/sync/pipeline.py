"""Several statements, and optionally COMMIT, sent to PostgreSQL in one round trip.

PostgreSQL runs them one after another, each with its own snapshot, exactly as
if they had been sent one at a time; only the waiting for each answer goes
(psycopg's pipeline mode). Used on the push path, where round trips are most
of the cost (docs/server.md, "Where the time goes").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

Statement = tuple[str, Mapping[str, Any]]  # psycopg's %(name)s placeholders
Rows = list[dict[str, Any]]


def pipelined(session: Session, *statements: Statement, commit: bool = False) -> list[Rows]:
    """Each statement's rows, read by column name, in order; COMMIT after the last if asked.

    Every statement must return rows (a SELECT, or RETURNING), if none.
    Runs in the session's transaction. After a COMMIT here, SQLAlchemy's own
    commit finds nothing left to do. Errors are raised as SQLAlchemy raises
    them, so callers handle one kind.
    """
    raw: psycopg.Connection[Any] = session.connection().connection.driver_connection  # type: ignore[assignment]
    try:
        with raw.pipeline():
            sent = []
            for sql, params in statements:
                cursor = raw.cursor()
                cursor.execute(sql, params)
                sent.append((sql, cursor))
            if commit:
                raw.commit()
            return [_by_name(sql, cursor) for sql, cursor in sent]
    except psycopg.Error as exc:
        sql, params = statements[-1]
        raise DBAPIError.instance(sql, params, exc, psycopg.Error) from exc


_NAMES: dict[str, tuple[str, ...]] = {}


def _by_name(sql: str, cursor: psycopg.Cursor[Any]) -> Rows:
    """The rows as dicts; a statement's column names are read from its result once.

    psycopg's dict_row builds them again for every result, which was a tenth of
    the push path's Python time.
    """
    rows = cursor.fetchall()
    names = _NAMES.get(sql)
    if names is None:
        names = _NAMES[sql] = tuple(c.name for c in cursor.description or ())
    return [dict(zip(names, row, strict=True)) for row in rows]
