"""A database's schema as plain data, read from the database itself, to compare two of them.

Tables with their columns in order (type, nullability, default), primary and
foreign keys, unique and check constraints and indexes, as SQLAlchemy's
inspector reads them; on PostgreSQL also every constraint's own definition
(exclusion constraints and DEFERRABLE included), sequences, extensions and
types; on SQLite also triggers and views.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect, text


def schema_of(conn: Connection) -> dict[str, Any]:
    inspector = inspect(conn)
    tables = {name: _table(inspector, name) for name in sorted(inspector.get_table_names())}
    extra = _postgresql(conn) if conn.dialect.name == "postgresql" else _sqlite(conn)
    return {"tables": tables, **extra}


def _table(inspector: Any, name: str) -> dict[str, Any]:
    return {
        "columns": [
            (c["name"], str(c["type"]), c["nullable"], _default(c.get("default")))
            for c in inspector.get_columns(name)
        ],
        "primary_key": _named(inspector.get_pk_constraint(name), "constrained_columns"),
        "foreign_keys": sorted(
            (
                fk["name"],
                tuple(fk["constrained_columns"]),
                fk["referred_table"],
                tuple(fk["referred_columns"]),
                tuple(sorted((fk.get("options") or {}).items())),
            )
            for fk in inspector.get_foreign_keys(name)
        ),
        "unique": sorted(_named(u, "column_names") for u in inspector.get_unique_constraints(name)),
        "checks": sorted(
            (c["name"], " ".join(c["sqltext"].split()))
            for c in inspector.get_check_constraints(name)
        ),
        "indexes": sorted(
            (
                i["name"],
                tuple(i["column_names"]),
                bool(i["unique"]),
                tuple(sorted((k, str(v)) for k, v in (i.get("dialect_options") or {}).items())),
            )
            for i in inspector.get_indexes(name)
        ),
    }


def _named(constraint: dict[str, Any], columns: str) -> tuple[Any, ...]:
    return (constraint.get("name"), tuple(constraint.get(columns) or ()))


def _default(default: str | None) -> str | None:
    return None if default is None else " ".join(str(default).split())


def _rows(conn: Connection, query: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in conn.execute(text(query)))


def _postgresql(conn: Connection) -> dict[str, Any]:
    return {
        "constraints": _rows(
            conn,
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
        ),
        "index_definitions": _rows(
            conn,
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        ),
        "sequences": _rows(
            conn,
            "SELECT sequencename, data_type::text, start_value, increment_by "
            "FROM pg_sequences WHERE schemaname = 'public'",
        ),
        "extensions": _rows(conn, "SELECT extname FROM pg_extension"),
        "types": _rows(
            conn,
            "SELECT t.typname, t.typtype FROM pg_type t "
            "WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r')",
        ),
        "functions": _rows(
            conn,
            "SELECT proname, pg_get_function_identity_arguments(oid) FROM pg_proc p "
            "WHERE pronamespace = 'public'::regnamespace AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
        ),
        "triggers": _rows(
            conn,
            "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
            "FROM pg_trigger WHERE NOT tgisinternal",
        ),
    }


def _sqlite(conn: Connection) -> dict[str, Any]:
    return {
        "triggers_and_views": _rows(
            conn,
            "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('trigger', 'view')",
        ),
    }
