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
from psycopg.rows import dict_row
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
            cursors = []
            for sql, params in statements:
                cursor = raw.cursor(row_factory=dict_row)
                cursor.execute(sql, params)
                cursors.append(cursor)
            if commit:
                raw.commit()
            return [cursor.fetchall() for cursor in cursors]
    except psycopg.Error as exc:
        sql, params = statements[-1]
        raise DBAPIError.instance(sql, params, exc, psycopg.Error) from exc
