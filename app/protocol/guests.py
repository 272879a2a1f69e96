"""A guest's data-protection request and the document that answers it
(docs/data-protection.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import AwareDatetime

from app.protocol.base import ShortText, Strict


class GuestDataRequest(Strict):
    """Who the request is about: one of the three (app.domain.data_requests.guest_key)."""

    phone: ShortText | None = None
    email: ShortText | None = None
    reference: ShortText | None = None


class GuestData(Strict):
    """Everything the server holds about the guests the request found, table by table:
    every column of every row that names them, as stored (times in UTC)."""

    venue_id: UUID
    venue_name: str
    found_by: str
    made_at: AwareDatetime
    made_by: str
    guest_ids: list[UUID]
    # Table name -> its rows, each row column -> value; every table listed, even empty.
    tables: dict[str, list[dict[str, Any]]]
    # The same in words a guest can read (app.domain.data_summary), in the venue's time.
    summary: str = ""


class GuestErased(Strict):
    """What an erasure did: the guest records forgotten, and how many rows of each table
    it rewrote, scrubbed or deleted (the tables it left untouched are not listed)."""

    venue_id: UUID
    guest_ids: list[UUID]
    erased_at: AwareDatetime
    erased_by: str
    rows: dict[str, int]
