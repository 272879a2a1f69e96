"""A guest's data-protection requests, answered by an admin at this desk through the
server (docs/data-protection.md): everything held about them, or forgetting them.

The desk checks the admin's role and the key first, so a slip is refused here at once;
the server checks both again and answers. After an erasure the desk syncs as soon as it
can, which is when it scrubs its own copies.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from app import protocol as p
from app.domain.data_requests import GuestKey, guest_key
from app.domain.errors import DomainError
from app.domain.permissions import Action, Staff
from app.models.uow import Store
from app.sync.client import SyncProblem
from app.sync.guest_requests import erase_guest, guest_data


class GuestRequests:
    def __init__(self, store: Store, nudge: Callable[[], object] = lambda: None) -> None:
        self.store = store
        self.nudge = nudge

    def key(
        self,
        staff: Staff,
        *,
        phone: str | None = None,
        email: str | None = None,
        reference: str | None = None,
    ) -> GuestKey:
        """The guest a request names, refused at once if staff may not ask or it is wrong."""
        staff.require(Action.ANSWER_DATA_REQUEST)
        return guest_key(phone=phone, email=email, reference=reference)

    def data(self, key: GuestKey, username: str, password: str) -> p.GuestData:
        try:
            return guest_data(self.store, username, password, _request(key))
        except SyncProblem as problem:
            raise DomainError(f"{problem} Nothing was changed.") from None

    def erase(self, key: GuestKey, username: str, password: str) -> p.GuestErased:
        try:
            done = erase_guest(self.store, username, password, _request(key))
        except SyncProblem as problem:
            raise DomainError(f"{problem} Nothing was changed.") from None
        self.nudge()  # this desk forgets them when it next pulls: as soon as it can
        return done


def save_data(data: p.GuestData, path: Path) -> int:
    """Write a guest's data to a new file only its owner may read; the rows written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(data.model_dump_json(indent=2) + "\n")
    return sum(len(rows) for rows in data.tables.values())


def erased_words(done: p.GuestErased) -> str:
    kept = sum(done.rows.values())
    records = "record" if len(done.guest_ids) == 1 else "records"
    return (
        f"Erased {len(done.guest_ids)} guest {records} ({kept} rows changed on the server). "
        "Every desk forgets them at its next sync."
    )


def _request(key: GuestKey) -> p.GuestDataRequest:
    return p.GuestDataRequest(**{key.by.value: key.value})
