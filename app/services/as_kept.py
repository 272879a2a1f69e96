"""A booking made again as the kept copy has it, on staff's word (Bookings the server lost…,
"Different in the copy").

After a server restore, a booking both the copy and this desk hold may differ: a change
the server lost (a cancellation, a move, a party grown) or one made since at another
desk. Only staff can tell which is right; when it is the copy's, this makes the copy's
again through the use cases any such change takes (a move, an edit of the details, a
status change), one intent each, each judged as if staff had made it by hand. A step
that is refused stops there and says what was done before it. A deposit is never made
as the copy has it: the money's record is the server's and Stripe's.
"""

from __future__ import annotations

from collections.abc import Callable

from app.domain.booking import ACTIVE, Booking, BookingStatus
from app.domain.errors import DomainError
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.models.uow import Store
from app.services.booking_edit import BookingEdits
from app.services.booking_status import BookingLifecycle
from app.services.common import BookingResult, get_booking
from app.services.lost_bookings import (
    DETAILS,
    ENDED,
    LostBookings,
    check_tables_known,
    kept_booking,
)

S = BookingStatus
REASON = "as in the copy kept when the server was restored"


class AsKept:
    def __init__(
        self,
        store: Store,
        lifecycle: BookingLifecycle,
        edits: BookingEdits,
        lost: LostBookings,
    ) -> None:
        self.store = store
        self.lifecycle = lifecycle
        self.edits = edits
        self.lost = lost

    def enter_again(self, staff: Staff, booking_id: str) -> str:
        """Enter again a booking only the kept copy holds (``LostBookings.enter_again``),
        then seat or end it as the copy has it (a party sitting now, one that left, a
        no-show: the night's covers count them); what was done."""
        said = self.lost.enter_again(staff, booking_id)
        kept, _ = kept_booking(self.store.path, booking_id)
        if kept.status is not S.SEATED and kept.status not in ENDED:
            return said
        try:
            return f"{said} {self.make_as_kept(staff, booking_id)}"
        except DomainError as refused:
            # Entered all the same: it is listed as different from the copy, to try again.
            return f"{said} Not made {kept.status.value} as in the copy: {refused}"

    def make_as_kept(self, staff: Staff, booking_id: str) -> str:
        """Make this desk's booking as the newest kept copy has it; what was done."""
        kept, _ = kept_booking(self.store.path, booking_id)
        with self.store.read() as reader:
            here = get_booking(reader, booking_id)
            rules = reader.venue.get()
        check_tables_known(rules, kept)
        # A party that grew may not fit its tables here, nor the copy's party these: the
        # details go first when the copy's party fits where the booking is now.
        party_first = _fits(rules, here.table_ids, kept.party_size)
        done: list[str] = []
        for step in self._steps(staff, kept, here, party_first=party_first):
            try:
                done.append(step().message)
            except DomainError as refused:
                before = f" Done first: {' '.join(done)}" if done else ""
                raise DomainError(f"{refused}{before}") from None
        if not done:
            raise DomainError(
                f"Booking {format_reference(kept.reference)} is already as the copy has it, "
                "but for what a click does not make (its deposit)."
            )
        return " ".join(done)

    def _steps(
        self, staff: Staff, kept: Booking, here: Booking, *, party_first: bool
    ) -> list[Callable[[], BookingResult]]:
        if kept.status in (S.CANCELLED, S.NO_SHOW):
            # Where and for how many matters no more: only the status is made again.
            return self._status(staff, kept, here)
        steps: list[Callable[[], BookingResult]] = []
        b = kept.id
        placed = (kept.table_ids, kept.start, kept.duration_minutes)
        if kept.table_ids and placed != (here.table_ids, here.start, here.duration_minutes):
            steps.append(lambda: self.edits.move(staff, b, *placed))
        details = {d: getattr(kept, d) for d in DETAILS if getattr(kept, d) != getattr(here, d)}
        if "package_id" in details:
            details["package_id"] = kept.package_id or ""  # "" takes the package off
        if kept.party_size != here.party_size:
            details["party_size"] = kept.party_size
        if details:
            edit = [lambda: self.edits.edit_details(staff, b, **details)]
            steps = edit + steps if party_first else steps + edit
        if kept.status is not here.status:
            steps.extend(self._status(staff, kept, here))
        return steps

    def _status(
        self, staff: Staff, kept: Booking, here: Booking
    ) -> list[Callable[[], BookingResult]]:
        b, life = kept.id, self.lifecycle
        match kept.status:
            case S.CANCELLED:
                return [lambda: life.cancel(staff, b, REASON)]
            case S.NO_SHOW:
                return [lambda: life.no_show(staff, b)]
            case S.CONFIRMED if here.status is S.PENDING:
                return [lambda: life.confirm(staff, b)]
            case S.SEATED if here.status in ACTIVE:
                return [lambda: life.seat(staff, b)]
            case S.COMPLETED if here.status is S.SEATED:
                return [lambda: life.complete(staff, b)]
            case S.COMPLETED if here.status in ACTIVE:
                return [lambda: life.seat(staff, b), lambda: life.complete(staff, b)]
        raise DomainError(
            f"Booking {format_reference(kept.reference)} is {kept.status.value} in the copy "
            f"and {here.status.value} here: change it by hand if the copy's is right."
        )


def _fits(rules: VenueRules, table_ids: tuple[str, ...], party_size: int) -> bool:
    try:
        rules.plan.check_seating(list(table_ids), party_size)
    except DomainError:
        return False
    return True
