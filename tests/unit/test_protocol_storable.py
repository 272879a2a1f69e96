"""Text PostgreSQL cannot hold is refused wherever it is in an intent, at any depth."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import Field, ValidationError

from app.protocol.base import MAX_DEPTH, Strict


class Note(Strict):
    text: str
    at: datetime | None = None
    about: uuid.UUID | None = None
    count: int = 0
    extra: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ({"text": "a\x00b"}, "text contains a NUL character"),
        ({"text": "café \ud800"}, "text contains a lone surrogate"),
        ({"text": "ok", "tags": ["fine", "nul\x00"]}, "tags contains a NUL character"),
        ({"text": "ok", "extra": {"deep": {"deeper": ["x\x00"]}}}, "extra contains a NUL"),
        ({"text": "ok", "extra": {"k\x00": 1}}, "extra contains a NUL character"),
        ({"text": "ok", "extra": {"n": float("nan")}}, "extra contains a number that is not"),
    ],
)
def test_text_a_database_cannot_hold_is_refused_with_where_it_was(given, why):
    with pytest.raises(ValidationError, match=why):
        Note.model_validate(given)


def test_free_form_json_nested_past_the_limit_is_refused():
    deep: dict[str, Any] = {}
    inner = deep
    for _ in range(MAX_DEPTH + 1):
        inner["x"] = {}
        inner = inner["x"]

    with pytest.raises(ValidationError, match=f"more than {MAX_DEPTH} levels deep"):
        Note.model_validate({"text": "ok", "extra": deep})


def test_ordinary_values_in_any_script_are_kept_as_given():
    at = datetime(2027, 3, 2, 19, tzinfo=UTC)
    about = uuid.UUID(int=7)

    note = Note.model_validate(
        {
            "text": "Zoë's birthday — 🎂 table by the window",
            "at": at,
            "about": about,
            "count": 3,
            "extra": {"größe": [1, 2.5, None, True, "ß"]},
            "tags": ["vip", "日本"],
        }
    )

    assert note.text == "Zoë's birthday — 🎂 table by the window"
    assert (note.at, note.about, note.count) == (at, about, 3)
    assert note.extra == {"größe": [1, 2.5, None, True, "ß"]}
    assert note.tags == ["vip", "日本"]
