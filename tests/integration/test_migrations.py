import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from app.models.base import Base
from app.models.engine import make_engine
from app.models.migrate import alembic_config
from app.models.uow import Store
from tests.schema import schema_of


def test_upgrade_head_builds_a_fresh_file_whose_schema_matches_the_models(tmp_path):
    store = Store(tmp_path / "fresh.sqlite3")

    with store.writer.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_migrations_go_down_to_nothing_and_up_again_to_the_same_schema(tmp_path):
    path = tmp_path / "desk.sqlite3"
    Store(path).close()
    first = schema(path)

    step(path, "downgrade", "base")
    emptied = schema(path)
    step(path, "upgrade", "head")

    assert list(emptied["tables"]) == ["alembic_version"]
    assert emptied["triggers_and_views"] == []
    assert schema(path) == first


def test_each_revision_reached_going_down_has_the_schema_it_had_going_up(tmp_path):
    path = tmp_path / "desk.sqlite3"
    going_up = {}
    for revision in revisions():
        step(path, "upgrade", revision)
        going_up[revision] = schema(path)

    going_down = {}
    for revision in reversed(revisions()[:-1]):
        step(path, "downgrade", revision)
        going_down[revision] = schema(path)

    assert going_down == {r: going_up[r] for r in going_down}


def revisions():
    """Oldest first."""
    walk = ScriptDirectory.from_config(alembic_config()).walk_revisions()
    return [script.revision for script in reversed(list(walk))]


def step(path, direction, revision):
    """Migrate the file the way the desk does: through its own writer engine."""
    config = alembic_config()
    engine = make_engine(path, writer=True)
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        getattr(command, direction)(config, revision)
        conn.commit()
    engine.dispose()


def schema(path):
    engine = create_engine(f"sqlite:///{path}", poolclass=pool.NullPool)
    with engine.connect() as conn:
        found = schema_of(conn)
    engine.dispose()
    return found


def test_opening_an_up_to_date_file_again_changes_nothing(tmp_path):
    path = tmp_path / "desk.sqlite3"
    Store(path).close()

    Store(path).close()

    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1


def test_the_file_is_in_wal_mode_with_full_sync_and_foreign_keys(tmp_path):
    store = Store(tmp_path / "desk.sqlite3")

    with store.writer.connect() as conn:
        pragmas = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }

    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10_000,
    }


def test_a_desk_with_bookings_goes_down_and_up_through_a_table_rebuild_keeping_every_row(
    desk, reception, store, db_path
):
    """A batch migration rebuilds a table that bookings reference (the guest's consent,
    0017): with foreign keys enforced the rebuild's DROP failed on any desk with bookings.
    The keys are checked before the migration commits instead."""
    from tests.integration.conftest import counts
    from tests.integration.test_auto_backups import book

    book(desk, reception, "Ada Lovelace", "07911 123456")
    book(desk, reception, "Grace Hopper", "07911 123457")
    before = counts(db_path)
    store.close()

    step(db_path, "downgrade", "0016")
    Store(db_path).close()

    with sqlite3.connect(db_path) as conn:
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        consent = conn.execute("SELECT DISTINCT consent FROM customer").fetchall()
    assert counts(db_path) == before
    assert problems == []
    assert consent == [("[]",)]
