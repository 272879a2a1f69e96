"""A guest's data-protection requests, answered by an admin at this desk
(docs/data-protection.md): everything held about them, or forgetting them.

On a connected desk the server answers both: the desk checks the admin's role and the
key first, so a slip is refused here at once; the server checks both again and answers.
After an erasure the desk syncs as soon as it can, which is when it scrubs its own
copies. A desk that works alone answers from its own file, and forgets the guest there
itself, its unsent changes included, with an ``erase_guest`` intent that tells the
server so if the desk is ever connected.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from app import protocol as p
from app.domain.data_requests import GuestKey, guest_key
from app.domain.data_summary import page_for, readable
from app.domain.erasure import erasure_refusal
from app.domain.errors import DomainError, NotFound
from app.domain.permissions import Action, Staff
from app.models.erase_here import erasable, erase_here
from app.models.guest_data import find_guests, gather
from app.models.journal import Change
from app.models.uow import Store
from app.protocol import IntentName, meaning
from app.services.common import Clock
from app.sync.client import SyncProblem
from app.sync.guest_requests import erase_guest, guest_data


class GuestRequests:
    def __init__(
        self, store: Store, clock: Clock, nudge: Callable[[], object] = lambda: None
    ) -> None:
        self.store = store
        self.clock = clock
        self.nudge = nudge

    def connected(self) -> bool:
        """The server answers (a connected desk); else this desk's file is all there is."""
        with self.store.read() as reader:
            return reader.device.get().server_url is not None

    def username(self, staff: Staff) -> str:
        """The username ``staff`` signs in to the server with: the same as on this desk."""
        with self.store.read() as reader:
            return reader.staff.username_of(staff.id) or ""

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

    def local_data(self, staff: Staff, key: GuestKey) -> p.GuestData:
        """Everything this desk's file holds about the guest: the whole answer for a desk
        that works alone (a connected desk asks the server, which holds more)."""
        staff.require(Action.ANSWER_DATA_REQUEST)
        now = self.clock()
        with self.store.read() as reader:
            venue = reader.venue.get().venue
            found = find_guests(reader.session, key)
            if not found.customer_ids:
                raise NotFound(f"No guest of {venue.name} has the {key}.")
            tables = gather(reader.session, found)
        return p.GuestData(
            venue_id=UUID(venue.id),
            venue_name=venue.name,
            found_by=key.by.value,
            made_at=now,
            made_by=staff.name,
            guest_ids=[UUID(i) for i in found.customer_ids],
            tables=tables,
            summary=readable(
                tables,
                venue=venue.name,
                made_at=now,
                made_by=staff.name,
                found_by=key.by.value,
                zone=venue.tz,
            ),
        )

    def erase(self, key: GuestKey, username: str, password: str) -> p.GuestErased:
        try:
            done = erase_guest(self.store, username, password, _request(key))
        except SyncProblem as problem:
            raise DomainError(f"{problem} Nothing was changed.") from None
        self.nudge()  # this desk forgets them when it next pulls: as soon as it can
        return done

    def erase_here(self, staff: Staff, key: GuestKey) -> p.GuestErased:
        """Forget the guest on a desk that works alone: every row of its file about them,
        its unsent changes included, and an ``erase_guest`` intent saying so. Refused,
        changing nothing, while they have a booking or a deposit still open."""
        staff.require(Action.ANSWER_DATA_REQUEST)
        now = self.clock()
        with self.store.unit_of_work() as uow:
            if uow.device.get().server_url is not None:
                raise DomainError(
                    "This desk is connected: the server forgets a guest, for every desk."
                )
            venue = uow.venue.get().venue
            found = find_guests(uow.session, key)
            if not found.customer_ids:
                raise NotFound(f"No guest of {venue.name} has the {key}.")
            todo = erasable(uow.session, found)
            if not todo.guest_ids:
                raise DomainError(f"The guest with the {key} was erased already.")
            refused = erasure_refusal(todo.name, todo.bookings, venue.tz)
            if refused is not None:
                raise DomainError(refused)
            done = erase_here(uow.session, found, todo.guest_ids, now)
            args = p.EraseGuestArgs(
                guest_ids=[UUID(g) for g in todo.guest_ids],
                booking_ids=[UUID(b) for b in done.booking_ids],
                redacted=[UUID(e) for e in done.redacted],
            )
            for action in meaning.required_actions(args, None):
                staff.require(action)
            subject = todo.guest_ids[0]
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.ERASE_GUEST,
                entity_id=subject,
                base_version=uow.customers.version(subject),
                args=args,
                previous={},
                changes=[
                    Change(
                        "customer",
                        subject,
                        None,
                        {"guests": list(todo.guest_ids), "redacted": list(done.redacted)},
                    )
                ],
            )
            uow.commit()
        return p.GuestErased(
            venue_id=UUID(venue.id),
            guest_ids=[UUID(g) for g in todo.guest_ids],
            erased_at=now,
            erased_by=staff.name,
            rows=done.rows,
        )


def save_data(data: p.GuestData, path: Path) -> int:
    """Write a guest's data to a new file only its owner may read, and the same in words
    beside it (``page_for(path)``); the rows written. Neither is written over."""
    page = page_for(path)
    if page.exists():
        raise FileExistsError(errno.EEXIST, "File exists", str(page))
    _new_file(path, data.model_dump_json(indent=2) + "\n")
    _new_file(page, data.summary)
    return sum(len(rows) for rows in data.tables.values())


def _new_file(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def erased_words(done: p.GuestErased, *, here: bool = False) -> str:
    """What an erasure did, in staff's words; ``here``: on a desk that works alone."""
    kept = sum(done.rows.values())
    records = "record" if len(done.guest_ids) == 1 else "records"
    erased = f"Erased {len(done.guest_ids)} guest {records}"
    if here:
        return (
            f"{erased} ({kept} rows changed on this desk, its unsent changes included). "
            "If this desk is connected to a server, they reach it already forgotten."
        )
    return (
        f"{erased} ({kept} rows changed on the server). Every desk forgets them at its next sync."
    )


def _request(key: GuestKey) -> p.GuestDataRequest:
    return p.GuestDataRequest(**{key.by.value: key.value})
