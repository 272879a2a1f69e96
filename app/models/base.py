"""Declarative base and the column types that keep time and JSON honest on SQLite."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC instants stored as fixed-width ISO text, so text order is time order."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        return value.astimezone(UTC).strftime(UTC_FORMAT)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else parse_utc(value)


def parse_utc(stored: str) -> datetime:
    """An instant as ``UTCDateTime`` stores it; ValueError for anything else.

    What UTC_FORMAT writes has a fixed shape; text of that shape is read by
    ``fromisoformat``, some twenty times faster than ``strptime`` (the night review
    reads thousands of instants), and anything else goes to ``strptime`` to be refused.
    """
    if (
        isinstance(stored, str)
        and len(stored) == 27
        and stored[10] == "T"
        and stored[19] == "."
        and stored[26] == "Z"
        and stored[:4].isdigit()
    ):
        return datetime.fromisoformat(stored)
    return datetime.strptime(stored, UTC_FORMAT).replace(tzinfo=UTC)


class JSONText(TypeDecorator[Any]):
    """JSON as text with sorted keys, so equal values are stored as equal bytes."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)
