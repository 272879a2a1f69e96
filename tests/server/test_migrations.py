"""The central migrations build the schema the models describe, on a fresh PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from server.models import Base
from tests.postgres import migrate
from tests.schema import schema_of


def test_migrations_upgrade_a_fresh_database_to_a_schema_matching_the_models(
    empty_database_url,
):
    migrate(empty_database_url)

    engine = create_engine(empty_database_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()

    assert differences == []


def test_migrations_go_down_to_nothing_and_up_again_to_the_same_schema(empty_database_url):
    migrate(empty_database_url)
    first = schema(empty_database_url)

    step(empty_database_url, "downgrade", "base")
    emptied = schema(empty_database_url)
    migrate(empty_database_url)

    assert list(emptied["tables"]) == ["alembic_version"]
    assert emptied["sequences"] == emptied["types"] == emptied["functions"] == []
    assert schema(empty_database_url) == first


def test_each_revision_reached_going_down_has_the_schema_it_had_going_up(empty_database_url):
    going_up = {}
    for revision in revisions():
        migrate(empty_database_url, revision)
        going_up[revision] = schema(empty_database_url)

    going_down = {}
    for revision in reversed(revisions()[:-1]):
        step(empty_database_url, "downgrade", revision)
        going_down[revision] = schema(empty_database_url)

    assert going_down == {r: going_up[r] for r in going_down}


def config():
    from server.migrate import alembic_config

    return alembic_config()


def revisions():
    """Oldest first."""
    from alembic.script import ScriptDirectory

    walk = ScriptDirectory.from_config(config()).walk_revisions()
    return [script.revision for script in reversed(list(walk))]


def step(url, direction, revision):
    from alembic import command

    from server.migrate import alembic_config

    getattr(command, direction)(alembic_config(url), revision)


def schema(url):
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        found = schema_of(conn)
    engine.dispose()
    return found


def test_the_database_itself_refuses_two_bookings_on_one_table_at_overlapping_times(
    database_url,
):
    from sqlalchemy.engine import make_url

    info = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(info) as conn:
        definition = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conname = 'booking_tables_no_overlap'"
        ).fetchone()[0]

    assert definition.startswith("EXCLUDE USING gist (table_id WITH =, during WITH &&)")
    assert "DEFERRABLE" in definition


@pytest.mark.parametrize("overlapping", [True, False])
def test_the_exclusion_constraint_is_exactly_about_overlap(server, overlapping):
    from sqlalchemy import text

    from tests.server.harness import EVENING, TABLE

    desk = server.desk()
    first = desk.create(7, party=4)
    desk.push_one(first)
    start = "2027-03-02 20:00Z" if overlapping else "2027-03-02 21:00Z"
    second = desk.create(8, party=4, start=EVENING)
    desk.push_one(second)

    with server.app.state.sessions() as session:
        insert = text(
            "INSERT INTO booking_tables (booking_id, table_id, venue_id, during) "
            "SELECT :booking, :table, venue_id, tstzrange(CAST(:start AS timestamptz), "
            "CAST(:start AS timestamptz) + interval '1 hour') FROM bookings WHERE id = :booking"
        )
        params = {"booking": second["entity_id"], "table": TABLE[7], "start": start}
        if overlapping:
            with pytest.raises(Exception, match="booking_tables_no_overlap"):
                session.execute(insert, params)
        else:
            session.execute(insert, params)
        session.rollback()
