"""One save of the edit dialog: a booking's time, its details and its guest, in turn.

They are three intents (the server judges each on its own), so they cannot be one
transaction. What can be checked before writing is checked first, for every part at
once; then the part most likely to be refused (the time: another party may be there)
runs first, and if a later part is still refused, the outcome says plainly what was
saved and what was not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.consent import Channel
from app.domain.errors import DomainError, InvalidFields, InvalidInput
from app.domain.kernel.seating import check_seats
from app.domain.limits import check_booking_text, check_duration, check_party_size
from app.domain.permissions import Staff
from app.models.uow import Store
from app.services.booking_edit import BookingEdits
from app.services.common import get_booking
from app.services.guest_edit import GuestEdits


@dataclass(frozen=True, slots=True)
class BookingChanges:
    """What staff changed; None everywhere they did not."""

    booking_id: str
    customer_id: str
    start: datetime | None = None
    duration_minutes: int | None = None
    party_size: int | None = None
    occasion: str | None = None
    special_requests: str | None = None
    notes: str | None = None
    # "" takes the package off (app.domain.packages).
    package_id: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    # The marketing boxes, when staff changed either (app.domain.consent).
    marketing: Mapping[Channel, bool] | None = None

    @property
    def time(self) -> bool:
        return self.start is not None or self.duration_minutes is not None

    @property
    def details(self) -> bool:
        words = (self.party_size, self.occasion, self.special_requests, self.notes, self.package_id)
        return any(v is not None for v in words)

    @property
    def guest(self) -> bool:
        return any(v is not None for v in (self.name, self.phone, self.email, self.marketing))


PART_WORDS = {"time": "the new time", "details": "the booking's details", "guest": "the guest"}


@dataclass(frozen=True, slots=True)
class EditOutcome:
    # The messages of the parts saved, in order.
    saved: tuple[str, ...]
    # A part refused after others were saved: which, and why.
    refused_part: str = ""
    refused: DomainError | None = None
    not_tried: tuple[str, ...] = field(default=())

    @property
    def message(self) -> str:
        if self.refused is None:
            return " ".join(self.saved)
        words = [f"Saved: {' '.join(self.saved)}"]
        words.append(f"Not saved: {PART_WORDS[self.refused_part]} — {self.refused}")
        if self.not_tried:
            words.append("Not tried: " + ", ".join(PART_WORDS[p] for p in self.not_tried) + ".")
        return " ".join(words)


class BookingEditing:
    def __init__(self, store: Store, edits: BookingEdits, guests: GuestEdits) -> None:
        self.store = store
        self.edits = edits
        self.guests = guests

    def apply(self, staff: Staff, c: BookingChanges) -> EditOutcome:
        """Save what changed; a refusal before anything is saved is raised as it is."""
        parts = [p for p in ("time", "details", "guest") if getattr(c, p)]
        if not parts:
            raise InvalidInput("details", "Nothing was changed.")
        self._check(c)
        saved: list[str] = []
        for n, part in enumerate(parts):
            try:
                saved.append(self._run(staff, c, part))
            except DomainError as refused:
                if not saved:
                    raise
                return EditOutcome(tuple(saved), part, refused, tuple(parts[n + 1 :]))
        return EditOutcome(tuple(saved))

    def _run(self, staff: Staff, c: BookingChanges, part: str) -> str:
        if part == "time":
            with self.store.read() as reader:
                tables = get_booking(reader, c.booking_id).table_ids
            return self.edits.move(staff, c.booking_id, tables, c.start, c.duration_minutes).message
        if part == "details":
            return self.edits.edit_details(
                staff,
                c.booking_id,
                party_size=c.party_size,
                special_requests=c.special_requests,
                occasion=c.occasion,
                notes=c.notes,
                package_id=c.package_id,
            ).message
        return self.guests.update(
            staff, c.customer_id, name=c.name, phone=c.phone, email=c.email, marketing=c.marketing
        ).message

    def _check(self, c: BookingChanges) -> None:
        """Every typing slip in every part, before anything is written."""
        errors: dict[str, str] = {}
        with self.store.read() as reader:
            rules = reader.venue.get()
            before = get_booking(reader, c.booking_id)
        checks = []
        if c.duration_minutes is not None:
            checks.append(lambda: check_duration(c.duration_minutes or 0))
        if c.party_size is not None:
            size = c.party_size
            checks.append(lambda: check_party_size(size, rules.plan.largest_party()))
            if before.holds_tables and size != before.party_size:
                checks.append(lambda: check_seats(rules.plan, before.table_ids, size))
        checks.append(
            lambda: check_booking_text(c.occasion or "", c.special_requests or "", c.notes or "")
        )
        if c.guest:
            checks.append(
                lambda: self.guests.check(c.customer_id, name=c.name, phone=c.phone, email=c.email)
            )
        for check in checks:
            try:
                check()
            except InvalidFields as many:
                for name, message in many.errors.items():
                    errors.setdefault(name, message)
            except InvalidInput as error:
                field_name = "party_size" if error.field == "tables" else error.field
                errors.setdefault(field_name, str(error))
        if errors:
            raise InvalidFields(errors)
