"""Alembic environment for the desk's SQLite file (batch mode: SQLite cannot ALTER much)."""

from __future__ import annotations

from pathlib import Path

from alembic import context

from app.models import tables  # noqa: F401  (registers the tables on Base.metadata)
from app.models.base import Base
from app.models.engine import make_engine

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        db = context.get_x_argument(as_dictionary=True).get("db")
        if not db:
            raise SystemExit("Pass the database file: alembic ... -x db=PATH upgrade head")
        with make_engine(Path(db), writer=True).connect() as conn:
            _migrate(conn)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    # A batch migration rebuilds a table (copy, drop, rename): with foreign keys enforced,
    # dropping one that other rows reference fails on any desk with bookings. SQLite
    # ignores this pragma inside a transaction, so it is set on the driver's connection
    # before the migration's BEGIN and set back after its COMMIT (the connection goes back
    # to the pool); the keys are checked before the COMMIT instead.
    assert not connection.in_transaction(), "migrations begin their own transaction"
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(
                    f"The migration left {len(broken)} rows pointing at nothing "
                    f"(first: {broken[0]}); nothing was changed."
                )
        if connection.in_transaction():
            connection.commit()
    finally:
        if connection.in_transaction():
            connection.rollback()
        raw.execute("PRAGMA foreign_keys=ON")


run()
