"""Every row of every table PostgreSQL has, as text: a witness for an erasure that does
not go through the list of tables the erasure (or the data answer) knows."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def every_table_as_text(session: Session) -> str:
    """The numbers that replied STOP are left out: they are kept on purpose, so they are
    never messaged again."""
    tables = session.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ).all()
    assert "customers" in tables and "audit_events" in tables
    return "\n".join(
        row
        for table in tables
        if table != "message_suppressions"
        for row in session.scalars(text(f'SELECT CAST(t AS text) FROM "{table}" t'))
    )
