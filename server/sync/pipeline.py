"""Several statements, and optionally COMMIT, sent to PostgreSQL in one round trip.

PostgreSQL runs them one after another, each with its own snapshot, exactly as
if they had been sent one at a time; only the waiting for each answer goes
(psycopg's pipeline mode). Used on the push path, where round trips are most
of the cost (docs/server.md, "Where the time goes").

psycopg's pipeline sends each statement as it is executed, in a write of its own,
and a transaction's BEGIN with a sync of its own, so a pipeline of seven
statements opening a transaction cost two round trips, eight writes and as many
wake-ups of the PostgreSQL backend. ``_Queued`` leaves a statement in psycopg's
queue instead, and ``pipelined`` hands the whole queue (BEGIN first, when one is
due, COMMIT last when asked) to libpq before psycopg sends it: one write, one
round trip. It reaches into psycopg's internals (pinned in pyproject.toml; every
push test goes through here).

psycopg also turns a statement's %(name)s placeholders into $n anew each time it is
longer than 4 kB or has more than 50 parameters (its cache leaves those out, for the
ORM's INSERTs of ever-different lengths). The push's last statement is both, and
always one of a few texts, so ``_Query`` keeps each text's conversion here.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg._queries import PostgresQuery, _query2pg_nocache
from psycopg.adapt import Transformer
from psycopg.pq import TransactionStatus
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
    begin = not raw.autocommit and raw.pgconn.transaction_status == TransactionStatus.IDLE
    try:
        with raw.pipeline() as pipeline:
            if begin:
                _Queued(raw).execute(raw._get_tx_start_command(), prepare=False)
            sent = []
            kept = _cursors(raw)
            for sql, params in statements:
                cursor = kept.pop(sql, None)
                if cursor is None:
                    cursor = _Queued(raw)
                cursor.execute(sql, params)
                sent.append((sql, cursor))
            if commit:
                _Queued(raw).execute(b"COMMIT", prepare=False)
            queue = pipeline.command_queue
            while queue:  # into libpq's buffer: sent in one write as the pipeline ends
                queue.popleft()()
        rows = [_by_name(sql, cursor) for sql, cursor in sent]
        if len(kept) + len(sent) > _KEPT:
            kept.clear()
        kept.update(sent)
        return rows
    except psycopg.Error as exc:
        sql, params = statements[-1]
        raise DBAPIError.instance(sql, params, exc, psycopg.Error) from exc


# Each statement text's conversion to PostgreSQL's placeholders, by text and encoding.
_CONVERTED: dict[tuple[Any, str], Any] = {}
_CONVERTED_MAX = 256


class _Query(PostgresQuery):
    """psycopg's query conversion, kept for every text however long (see the top)."""

    __slots__ = ()

    def convert(self, query: Any, vars: Any) -> None:
        if vars is None or not isinstance(query, str | bytes):
            return super().convert(query, vars)
        key = (query, self._tx.encoding)
        converted = _CONVERTED.get(key)
        if converted is None:
            if len(_CONVERTED) >= _CONVERTED_MAX:
                _CONVERTED.clear()
            converted = _query2pg_nocache(self._ensure_bytes(query), self._tx.encoding)
            _CONVERTED[key] = converted
        self.query, self._want_formats, self._order, self._parts = converted
        self.dump(vars)
        return None


class _Queued(psycopg.Cursor[Any]):
    """A cursor whose ``execute`` queues its statement in the pipeline and returns:
    psycopg's own sends it at once, and opens a transaction with a round trip of its
    own (``pipelined`` puts the BEGIN in front itself)."""

    _query_cls = _Query

    def _execute_gen(  # type: ignore[override]
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Any:
        self._reset()
        if self._last_query is not query:
            self._last_query = None
            self._tx = Transformer(self)
        pgq = self._convert_query(query, params)
        yield from self._maybe_prepare_gen(pgq, prepare=prepare, binary=binary)
        self._last_query = query
        yield from self._conn._prepared.maintain_gen(self._conn)


# Each connection's cursors, one per statement text, used again: psycopg keeps a
# cursor's adapters (which dumper for which type) while it runs the same query object,
# and a new cursor copies the connection's adapters and finds every dumper again.
_KEPT = 64
_CURSORS: weakref.WeakKeyDictionary[psycopg.Connection[Any], dict[str, _Queued]] = (
    weakref.WeakKeyDictionary()
)


def _cursors(raw: psycopg.Connection[Any]) -> dict[str, _Queued]:
    kept = _CURSORS.get(raw)
    if kept is None:
        kept = _CURSORS[raw] = {}
    return kept


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
