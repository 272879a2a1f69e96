"""The push path's pipelines (server.sync.pipeline) against a real PostgreSQL.

psycopg's own conversion of %(name)s placeholders is kept here for every statement
text, however long; these tests make sure a kept conversion only ever answers for its
own text, and that the tables' lock statement locks exactly the tables it names.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.sync.pipeline import pipelined
from server.sync.placement import tables_lock
from tests.postgres import PgServer


@pytest.fixture
def session(seeded_url: str) -> Iterator[Session]:
    engine = create_engine(seeded_url)
    with Session(engine) as s:
        yield s
    engine.dispose()


NAMES = [f"p{i}" for i in range(60)]


def _long(factor: int) -> str:
    """A statement over 4 kB with 60 parameters (psycopg's own cache leaves it out), each
    column its parameter times ``factor``."""
    columns = ", ".join(f"CAST(%({n})s AS integer) * {factor} AS {n}" for n in NAMES)
    padding = " ".join(f"/* {factor} {i:04d} */" for i in range(200))
    return f"SELECT {columns} {padding}"


def test_a_long_statement_with_many_parameters_answers_with_each_run_s_own_values(
    session: Session,
) -> None:
    runs = [(2, 0), (2, 1000), (3, 5), (2, 7), (3, 0)]
    assert len(_long(2)) == len(_long(3)) > 4096
    for factor, base in runs:
        params = {n: base + i for i, n in enumerate(NAMES)}
        (rows,) = pipelined(session, (_long(factor), params))
        assert rows == [{n: v * factor for n, v in params.items()}]
    session.rollback()


def test_a_statement_missing_a_parameter_is_refused_even_once_its_text_is_known(
    session: Session,
) -> None:
    sql = _long(3)
    pipelined(session, (sql, dict.fromkeys(NAMES, 1)))
    session.rollback()
    with pytest.raises((DBAPIError, psycopg.ProgrammingError), match="p59"):
        pipelined(session, (sql, dict.fromkeys(NAMES[:-1], 1)))


def test_the_tables_lock_locks_exactly_the_tables_it_names_in_id_order(
    session: Session, seeded_url: str, pg_server: PgServer
) -> None:
    ids = [row[0] for row in session.execute(text("SELECT id FROM tables ORDER BY number"))]
    assert len(ids) >= 4
    for chosen in ([ids[2]], [ids[3], ids[0]], [ids[1], ids[3], ids[0], ids[1]]):
        (locked,) = pipelined(session, tables_lock(chosen))
        assert [r["id"] for r in locked] == sorted(set(chosen))
        other_desk = pg_server.conninfo(make_url(seeded_url).database or "postgres")
        with psycopg.connect(other_desk, autocommit=True) as other:
            for table in ids:
                try:
                    other.execute(
                        "SELECT id FROM tables WHERE id = %s FOR NO KEY UPDATE NOWAIT", (table,)
                    )
                    held = False
                except psycopg.errors.LockNotAvailable:
                    held = True
                assert held == (table in chosen), table
        session.rollback()


def test_the_tables_lock_is_one_statement_text_per_number_of_tables() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    one, two = tables_lock([a]), tables_lock([b, a, b])
    assert one[0] != two[0]
    assert tables_lock([b])[0] == one[0]
    assert two[1] == dict(zip(["t0", "t1"], sorted([a, b]), strict=True))
