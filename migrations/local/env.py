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
    with context.begin_transaction():
        context.run_migrations()


run()
