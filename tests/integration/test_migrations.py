import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.models.base import Base
from app.models.uow import Store


def test_upgrade_head_builds_a_fresh_file_whose_schema_matches_the_models(tmp_path):
    store = Store(tmp_path / "fresh.sqlite3")

    with store.writer.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


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
