"""Collected only when named on the command line, by tests/test_far_future.py's run:
that run really is years ahead, for Python and for the suite's own PostgreSQL."""

import os
from datetime import UTC, datetime

import psycopg


def test_python_and_postgresql_both_live_in_the_far_future(pg_server):
    year = int(os.environ["BACKROOM_FAR_FUTURE_YEAR"])

    with psycopg.connect(pg_server.conninfo()) as conn:
        database_year = conn.execute("SELECT extract(year FROM now())::int").fetchone()[0]

    assert (datetime.now(UTC).year, database_year) == (year, year)
