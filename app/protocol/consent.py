"""A marketing consent record on the wire (app.domain.consent holds the rule)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, model_validator

from app.domain.consent import Channel, from_json
from app.domain.errors import InvalidInput
from app.protocol.base import Instant, ShortText, Strict


class ConsentData(Strict):
    """One marketing consent record (app.domain.consent.ConsentRecord)."""

    channel: Channel
    given: bool
    at: Instant
    wording_id: Annotated[str, Field(min_length=1, max_length=40)]
    wording_version: Annotated[int, Field(ge=1, le=10_000)]
    recorded_by: ShortText

    @model_validator(mode="after")
    def _asked(self) -> Self:
        try:
            from_json([self])  # the domain's rule: a wording that was ever asked
        except InvalidInput as error:
            raise ValueError(str(error)) from None
        return self
