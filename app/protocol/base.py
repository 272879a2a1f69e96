"""Versions, the strict base model and the field types every part of the wire uses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from app.domain.limits import MAX_DURATION, MAX_PARTY, MAX_PRIORITY, MAX_TABLES, MIN_DURATION

PROTOCOL_VERSION = 1
# The schema a desk's intents were written under; the server accepts a window of
# these and upgrades older intents (app.protocol.upgrade).
SCHEMA_VERSION = 2

MAX_BATCH = 500
Text = Annotated[str, Field(max_length=2000)]
ShortText = Annotated[str, Field(max_length=200)]
PartySize = Annotated[int, Field(ge=1, le=MAX_PARTY)]
Minutes = Annotated[int, Field(ge=MIN_DURATION, le=MAX_DURATION)]
Priority = Annotated[int, Field(ge=0, le=MAX_PRIORITY)]
Pence = Annotated[int, Field(ge=0, le=10_000_000)]
Seq = Annotated[int, Field(ge=1)]
Version = Annotated[int, Field(ge=0)]
FencingToken = Annotated[int, Field(ge=1, le=2**62)]
TableIds = Annotated[list[UUID], Field(max_length=MAX_TABLES)]

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(instant: datetime) -> datetime:
    if not EARLIEST <= instant < LATEST:
        raise ValueError("a time before 2000 or after 2099 cannot be a booking's")
    return instant


# An aware instant in a range a venue's booking could be in (a 1970 time is a bug).
Instant = Annotated[AwareDatetime, AfterValidator(_plausible)]


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="after")
    def _no_nul_characters(self) -> Self:
        # Neither PostgreSQL text nor jsonb can hold U+0000, and no one types it.
        for name, value in self.__dict__.items():
            if not isinstance(value, BaseModel) and _has_nul(value):
                raise ValueError(f"{name} contains a NUL character")
        return self
