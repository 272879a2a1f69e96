"""Versions, the strict base model and the field types every part of the wire uses."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.domain.limits import (
    MAX_COORDINATE,
    MAX_DURATION,
    MAX_PARTY,
    MAX_PENCE,
    MAX_PRIORITY,
    MAX_TABLE_SIZE,
    MAX_TABLES,
    MIN_DURATION,
)
from app.domain.packages import PACKAGE_PATTERN
from app.domain.staff import MAX_STAFF_NAME, MAX_USERNAME, PIN_HASH_PATTERN, USERNAME_PATTERN

PROTOCOL_VERSION = 1
# The schema a desk's intents were written under; the server accepts a window of
# these and upgrades older intents (app.protocol.upgrade).
SCHEMA_VERSION = 3

MAX_BATCH = 500
Text = Annotated[str, Field(max_length=2000)]
ShortText = Annotated[str, Field(max_length=200)]
PartySize = Annotated[int, Field(ge=1, le=MAX_PARTY)]
Minutes = Annotated[int, Field(ge=MIN_DURATION, le=MAX_DURATION)]
Priority = Annotated[int, Field(ge=0, le=MAX_PRIORITY)]
Pence = Annotated[int, Field(ge=0, le=MAX_PENCE)]
Seq = Annotated[int, Field(ge=1)]
Version = Annotated[int, Field(ge=0)]
FencingToken = Annotated[int, Field(ge=1, le=2**62)]
TableIds = Annotated[list[UUID], Field(max_length=MAX_TABLES)]
Coordinate = Annotated[float, Field(ge=-MAX_COORDINATE, le=MAX_COORDINATE)]
Size = Annotated[float, Field(gt=0, le=MAX_TABLE_SIZE)]
Turn = Annotated[float, Field(ge=-360, le=360)]
Username = Annotated[str, Field(min_length=1, max_length=MAX_USERNAME, pattern=USERNAME_PATTERN)]
StaffName = Annotated[str, Field(min_length=1, max_length=MAX_STAFF_NAME)]
PinHash = Annotated[str, Field(max_length=200, pattern=PIN_HASH_PATTERN)]
# A package in the venue's price list (app.domain.packages); as a choice, "" is none.
PackageId = Annotated[str, Field(pattern=PACKAGE_PATTERN)]
PackageChoice = Annotated[str, Field(pattern=f"^$|{PACKAGE_PATTERN}")]

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(instant: datetime) -> datetime:
    if not EARLIEST <= instant < LATEST:
        raise ValueError("a time before 2000 or after 2099 cannot be a booking's")
    return instant


# An aware instant in a range a venue's booking could be in (a 1970 time is a bug).
Instant = Annotated[AwareDatetime, AfterValidator(_plausible)]


# Free-form JSON in an intent (what the desk saw, an audit snapshot) is a few levels deep.
MAX_DEPTH = 8


def _text_unstorable(item: str) -> str | None:
    if "\x00" in item:
        return "contains a NUL character"
    if not item.isascii():  # ASCII text has no surrogates, and most text is ASCII
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            return "contains a lone surrogate, which is not text"
    return None


# Values that hold no text or float, as pydantic makes them: nothing in them to refuse.
_PLAIN = frozenset({int, bool, type(None), UUID, datetime, date})


def _unstorable(value: object) -> str | None:
    """Why a JSON value cannot be stored, if it cannot; walked without recursion."""
    kind = type(value)
    if kind in _PLAIN:  # every intent has many of these: the walk below is for the rest
        return None
    if kind is str:
        return _text_unstorable(value)  # type: ignore[arg-type]
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"is nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, str):
            why = _text_unstorable(item)
            if why is not None:
                return why
        elif isinstance(item, float) and not math.isfinite(item):
            return "contains a number that is not finite"
        elif isinstance(item, dict):
            stack += [(k, depth + 1) for k in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list | tuple):
            stack += [(v, depth + 1) for v in item]
    return None


class Strict(BaseModel):
    # No NaN or infinity anywhere: the database could not compare it and JSON cannot carry it.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _storable(self) -> Self:
        # Neither PostgreSQL text nor jsonb can hold U+0000 or a lone surrogate, no one types
        # them, and free-form JSON is walked here without recursion, however deep it comes.
        for name, value in self.__dict__.items():
            if not isinstance(value, BaseModel):
                why = _unstorable(value)
                if why is not None:
                    raise ValueError(f"{name} {why}")
        return self
