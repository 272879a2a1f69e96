"""What each booking intent does to a booking: one pure function per intent.

The desk's use case makes its row with these, the desk replays its pending
intents with them when the server's rows arrive, and the server judges with
them after its own database checks (staleness, fences, placement). Each takes
the booking as it is and returns it as the intent leaves it, or raises a
``DomainError`` saying why not in words staff can act on:

* ``EditAfterCancel`` — the booking was cancelled; nothing is changed;
* ``SeatingRefused`` — the tables cannot seat the party;
* ``IllegalTransition`` — the status machine does not allow the move;
* any other ``DomainError`` — the change is refused as it stands.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.domain.booking import (
    ACTIVE,
    PRICED_BY_POLICY,
    Booking,
    BookingStatus,
    DepositState,
)
from app.domain.deposits import format_pence, price
from app.domain.errors import DomainError, EditAfterCancel, InvalidInput
from app.domain.kernel.concurrent import MERGED, merge_text
from app.domain.kernel.seating import canonical_tables, check_seats, is_combined
from app.domain.limits import (
    MIN_DURATION,
    check_duration,
    check_party_size,
    check_priority,
    check_spend,
)
from app.domain.packages import as_kept, find_package, package_price
from app.domain.references import format_reference
from app.domain.rules import VenueRules
from app.domain.spend import SPENDING

S = BookingStatus
NEW_STATUSES = frozenset({S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED})
CLOSED = frozenset({S.COMPLETED, S.NO_SHOW})


def _ref(b: Booking) -> str:
    return format_reference(b.reference)


def _text(value: str) -> str:
    return value.strip()


def priced(rules: VenueRules, b: Booking, vip: bool) -> Booking:
    """The deposit the venue's policy asks of the booking, while nothing has been paid,
    stamped with the policy's version.

    Called when a booking is made and when its party size changes, never otherwise: a
    policy changed later leaves a priced booking as it was (its version says under
    which terms), and a re-price takes the venue's policy as it is now. A paid,
    waived, requested or refunded deposit is money that moved or was asked for: it is
    never re-priced.
    """
    if b.deposit_state not in PRICED_BY_POLICY:
        return b
    quote = price(
        rules.deposits,
        party_size=b.party_size,
        service_day=rules.venue.service_day(b.start),
        vip=vip,
        source=b.source,
    )
    state = DepositState.REQUIRED if quote.pence else DepositState.NOT_REQUIRED
    return replace(
        b, deposit_pence=quote.pence, deposit_state=state, deposit_policy_version=quote.version
    )


def packaged(rules: VenueRules, b: Booking, package_id: str | None) -> Booking:
    """``b`` with ``package_id`` ("" or None: none) at the price the venue's list asks for
    its party now (app.domain.packages), or an InvalidInput saying why it cannot have it."""
    kept = as_kept(package_id)
    if kept is None:
        return replace(b, package_id=None, package_pence=0)
    pence = package_price(rules.deposits, kept, b.party_size)
    return replace(b, package_id=kept, package_pence=pence)


def _repackaged(rules: VenueRules, b: Booking) -> Booking:
    """After a party-size change: its package priced for the new party, while the venue
    still sells it; one no longer sold keeps the price it was sold at."""
    if b.package_id is None or find_package(rules.deposits, b.package_id) is None:
        return b
    return packaged(rules, b, b.package_id)


def bookable_status(b: Booking) -> BookingStatus:
    """Confirmed when no deposit stands in the way, else pending until it is settled."""
    return S.CONFIRMED if b.deposit_settled else S.PENDING


def _open_for(rules: VenueRules, b: Booking, start: datetime, minutes: int) -> None:
    """A new time must fall in opening hours; a seated party is where it is."""
    if (start, minutes) != (b.start, b.duration_minutes) and b.status is not S.SEATED:
        rules.venue.check_open(start, minutes)


def _changeable(b: Booking, refusal: str) -> None:
    if b.status is S.CANCELLED:
        raise EditAfterCancel(
            f"Booking {_ref(b)} was cancelled; this change to it was not applied."
        )
    if b.status in CLOSED:
        raise DomainError(f"Booking {_ref(b)} is {b.status.value}; {refusal}.")


def _new(rules: VenueRules, proposed: Booking, vip: bool, at: datetime) -> Booking:
    if proposed.status not in NEW_STATUSES:
        raise DomainError(
            "A new booking must be pending, confirmed, seated or waitlisted, "
            f"not {proposed.status.value}."
        )
    check_party_size(proposed.party_size, rules.plan.largest_party())
    check_duration(proposed.duration_minutes)
    check_priority(proposed.priority_score)
    if proposed.status is not S.SEATED:
        rules.venue.check_open(proposed.start, proposed.duration_minutes)
    waitlisted = proposed.status is S.WAITLISTED
    tables = () if waitlisted else canonical_tables(rules.plan, proposed.table_ids)
    b = replace(
        proposed,
        table_ids=tables,
        combined=is_combined(rules.plan, tables),
        special_requests=_text(proposed.special_requests),
        occasion=_text(proposed.occasion),
        notes=_text(proposed.notes),
        deposit_state=DepositState.NOT_REQUIRED,
        deposit_pence=0,
        created_at=at,
        updated_at=at,
        version=0,
        waitlisted_at=(proposed.waitlisted_at or at) if waitlisted else None,
    )
    b = priced(rules, packaged(rules, b, proposed.package_id), vip)
    if b.status is S.CONFIRMED:
        b = replace(b, status=bookable_status(b))
    return b


def create(rules: VenueRules, proposed: Booking, *, vip: bool, at: datetime) -> Booking:
    """A new booking as asked for, priced by the venue's policy.

    One asked to be confirmed stays pending while a deposit is owed. One with no
    table yet is booked all the same, to be seated wherever the night allows.
    """
    b = _new(rules, proposed, vip, at)
    if b.status in ACTIVE:
        check_seats(rules.plan, b.table_ids, b.party_size)
    return b


def create_in_conflict(rules: VenueRules, proposed: Booking, *, vip: bool, at: datetime) -> Booking:
    """The new booking kept when its tables cannot seat it: in conflict, holding none."""
    return replace(_new(rules, proposed, vip, at), status=S.CONFLICT)


def move(
    rules: VenueRules,
    b: Booking,
    *,
    table_ids: tuple[str, ...],
    start: datetime,
    duration_minutes: int,
    at: datetime,
) -> Booking:
    """Other tables and/or another time; a waitlisted party only changes its time."""
    _changeable(b, "it cannot be moved")
    check_duration(duration_minutes)
    tables = canonical_tables(rules.plan, table_ids)
    if b.status is S.WAITLISTED and tables:
        raise InvalidInput(
            "tables", f"Booking {_ref(b)} is on the waitlist and holds no table; promote it."
        )
    if b.status in ACTIVE:
        if not tables:
            raise InvalidInput("tables", "Choose a table.")
        check_seats(rules.plan, tables, b.party_size)
    _open_for(rules, b, start, duration_minutes)
    return replace(
        b,
        table_ids=tables,
        combined=is_combined(rules.plan, tables),
        start=start,
        duration_minutes=duration_minutes,
        updated_at=at,
    )


def edit_details(
    rules: VenueRules,
    b: Booking,
    *,
    vip: bool,
    at: datetime,
    party_size: int | None = None,
    special_requests: str | None = None,
    occasion: str | None = None,
    notes: str | None = None,
    priority_score: int | None = None,
    package_id: str | None = None,
    seen: dict[str, object] | None = None,
    signature: str = "",
) -> Booking:
    """Party size (re-priced, and still seated by its tables), the package ("": none) and
    the booking's words.

    ``seen`` is what the desk saw of the fields when it is known to be out of
    date; free text written over a version it did not see is merged, signed.
    """
    if b.status is S.CANCELLED:
        _changeable(b, "")
    after = b
    if party_size is not None and party_size != b.party_size:
        if b.status in CLOSED:
            raise DomainError(
                f"Booking {_ref(b)} is {b.status.value}; its party size cannot change."
            )
        check_party_size(party_size, rules.plan.largest_party())
        if b.holds_tables:
            check_seats(rules.plan, b.table_ids, party_size)
        after = priced(rules, replace(after, party_size=party_size), vip)
    if package_id is not None and as_kept(package_id) != b.package_id:
        _open_to_a_package(b)
        after = packaged(rules, after, package_id)
    elif after.party_size != b.party_size:
        after = _repackaged(rules, after)
    words = {"special_requests": special_requests, "occasion": occasion, "notes": notes}
    for name, value in words.items():
        if value is None:
            continue
        mine = _text(value)
        if name in MERGED:
            earlier = None if seen is None else seen.get(name)
            mine = merge_text(getattr(b, name), earlier, mine, signature)
        after = replace(after, **{name: mine})
    if priority_score is not None:
        check_priority(priority_score)
        after = replace(after, priority_score=priority_score)
    return after if after == b else replace(after, updated_at=at)


def _open_to_a_package(b: Booking) -> None:
    if b.status in CLOSED:
        raise DomainError(f"Booking {_ref(b)} is {b.status.value}; its package cannot change.")


def set_status(
    rules: VenueRules,
    b: Booking,
    status: BookingStatus,
    *,
    at: datetime,
    table_ids: tuple[str, ...] | None = None,
    left_at: datetime | None = None,
) -> Booking:
    """A move through the status machine, perhaps onto other tables (seat elsewhere,
    promote from the waitlist). A party that leaves early (``left_at``) frees its
    table for the rest of the night."""
    if status is S.CONFLICT:
        raise DomainError("Only the server puts a booking in conflict.")
    if b.status is S.CANCELLED and status is not S.CANCELLED:
        raise EditAfterCancel(
            f"Booking {_ref(b)} was cancelled; it cannot move from cancelled to {status.value}."
        )
    if status is b.status and table_ids is None:
        return b
    if status is S.SEATED and rules.venue.service_day(at) < rules.venue.service_day(b.start):
        # Picked by mistake from another night's list, the party would show seated on a
        # night to come and its table free tonight. A night written up later may seat it.
        raise DomainError(
            f"Booking {_ref(b)} is for {rules.venue.show_day_time(b.start)}; a party is "
            "seated on its own night, not before."
        )
    if status is S.NO_SHOW and at < b.start:
        # Marked early by mistake, a no-show would free the table and let a manager claim
        # the guest's deposit for a night still to come.
        raise DomainError(
            f"Booking {_ref(b)} is for {rules.venue.show_day_time(b.start)}; a party can be "
            "marked a no-show only once its time has come."
        )
    if status is S.CONFIRMED and not b.deposit_settled:
        raise DomainError(
            f"Booking {_ref(b)} cannot be confirmed until its "
            f"{format_pence(b.deposit_pence)} deposit is paid or a manager waives it."
        )
    after = b.moved_to(status, at)
    if table_ids is not None and status in ACTIVE:
        tables = canonical_tables(rules.plan, table_ids)
        after = replace(after, table_ids=tables, combined=is_combined(rules.plan, tables))
    if after.holds_tables:
        check_seats(rules.plan, after.table_ids, after.party_size)
    if status is S.COMPLETED and left_at is not None and b.start < left_at < b.end:
        stayed = int((left_at - b.start).total_seconds() // 60)
        after = replace(after, duration_minutes=max(MIN_DURATION, stayed))
    return after


def status_refusal(rules: VenueRules, b: Booking, status: BookingStatus, *, at: datetime) -> str:
    """Why ``set_status`` would refuse to move ``b`` to ``status`` at ``at`` ("" when it
    would move it): what a desk offers is what the kernel allows, and the reason is shown
    beside what it does not. Staying put is no move."""
    if status is b.status:
        return f"Booking {_ref(b)} is already {status.value.replace('_', ' ')}."
    try:
        set_status(rules, b, status, at=at)
    except DomainError as refused:
        return str(refused)
    return ""


def cancel(rules: VenueRules, b: Booking, *, at: datetime) -> Booking:
    return set_status(rules, b, S.CANCELLED, at=at)


def rearranged(
    rules: VenueRules, b: Booking, table_ids: tuple[str, ...], *, at: datetime
) -> Booking:
    """One booking of a re-arrangement on its new tables (seated parties stay put)."""
    if b.status not in ACTIVE:
        raise DomainError(
            f"Booking {_ref(b)} is {b.status.value}; a re-arrangement only moves "
            "bookings that hold tables."
        )
    tables = canonical_tables(rules.plan, table_ids)
    if b.status is S.SEATED and tables != tuple(sorted(b.table_ids)):
        raise DomainError(
            f"Booking {_ref(b)} is seated; seated parties are never moved by a re-arrangement."
        )
    try:
        check_seats(rules.plan, tables, b.party_size)
    except InvalidInput as refused:
        raise DomainError(f"Booking {_ref(b)}: {refused}") from None
    return replace(b, table_ids=tables, combined=is_combined(rules.plan, tables), updated_at=at)


def promoted(
    rules: VenueRules, b: Booking, *, table_ids: tuple[str, ...], start: datetime, at: datetime
) -> Booking:
    """A waitlisted party onto ``table_ids`` from ``start``: the desk's promotion (a move
    of its time, then a status change with the tables), in one step, for the server
    acting on a guest's "1" to a waitlist offer."""
    if b.status is not S.WAITLISTED:
        raise DomainError(f"Booking {_ref(b)} is not on the waitlist.")
    if start != b.start:
        b = move(rules, b, table_ids=(), start=start, duration_minutes=b.duration_minutes, at=at)
    return set_status(rules, b, bookable_status(b), at=at, table_ids=table_ids)


def spent(b: Booking, spend_pence: int, *, at: datetime) -> Booking:
    """What the party spent, from the till, once they sat down (app.domain.spend). The
    latest recorded wins, as for an occasion: a till's total only grows through a night."""
    if b.status is S.CANCELLED:
        raise EditAfterCancel(f"Booking {_ref(b)} was cancelled; no spend was recorded.")
    if b.status not in SPENDING:
        raise DomainError(
            f"Booking {_ref(b)} is {b.status.value.replace('_', ' ')}; a spend is recorded "
            "once the party is seated."
        )
    check_spend(spend_pence)
    return replace(b, spend_pence=spend_pence, updated_at=at)
