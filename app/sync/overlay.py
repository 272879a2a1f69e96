"""Re-applying a desk's pending intents on top of the server's rows.

A row as staff see it is the server's last-known row (the shadow) with every
intent still in the outbox applied over it in ``device_seq`` order — through
each intent's one meaning (app.protocol.meaning), the function the use case
made the row with and the server judges with. So a pending change shows what
the server will make of it: one the server will keep as a conflict (a stale
edit) or refuse shows the row as the server has it, and the desk says why once
the outcome arrives. Nothing here touches the database; rows are the JSON of
the protocol's ``*Row`` models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.domain.booking import Booking, BookingStatus
from app.domain.customer import Customer
from app.domain.deposits import DepositPolicy
from app.domain.errors import DomainError, SeatingRefused
from app.domain.rules import VenueRules
from app.protocol import EntityKind, meaning
from app.protocol import intents as i
from app.protocol.codec import booking_of, booking_row, customer_data, customer_of
from app.protocol.meaning import ConflictFacts, Judging

Key = tuple[EntityKind, str]
Row = dict[str, Any]

B, C, T = EntityKind.BOOKING, EntityKind.CUSTOMER, EntityKind.TABLE
A, J = EntityKind.AREA, EntityKind.COMBINATION
# Intents that set a floor-plan row's own fields outright, and the row each sets.
FLOOR_INTENTS: dict[type[i.AnyMutation], EntityKind] = {
    i.UpdateTable: T,
    i.UpdateArea: A,
    i.UpdateCombination: J,
}
# Intents that set a whole row outright: the floor's, and an admin's change to staff.
ROW_INTENTS: dict[type[i.AnyMutation], EntityKind] = {
    **FLOOR_INTENTS,
    i.UpdateStaff: EntityKind.STAFF,
}


def keys_of(m: i.AnyMutation) -> list[Key]:
    """Every row an intent changes when it is applied locally."""
    if isinstance(m, i.CreateBooking):
        return [(C, str(m.args.customer.id)), (B, str(m.entity_id))]
    if isinstance(m, i.UpsertCustomer):
        return [(C, str(m.entity_id))]
    if isinstance(m, i.EraseGuest):
        guests = [(C, str(g)) for g in m.args.guest_ids]
        return guests + [(B, b) for b in meaning.booking_ids(m)]
    if isinstance(m, i.SettleRefusal | i.MessageIntent | i.SetDepositPolicy):
        # Settling a refusal, or asking the server to send a guest a message, changes
        # no row a desk shows; new prices are read from the outbox itself
        # (app.models.policy_repository.policy_in_force).
        return []
    if type(m) in ROW_INTENTS:
        return [(ROW_INTENTS[type(m)], str(m.entity_id))]
    return [(B, booking_id) for booking_id in meaning.booking_ids(m)] or [(B, str(m.entity_id))]


@dataclass(frozen=True, slots=True)
class Lookups:
    """What replaying needs from the desk's file beside the rows being rebuilt."""

    rules: VenueRules
    venue_id: str
    vip_of: Callable[[str], bool | None]
    conflict_of: Callable[[str], ConflictFacts | None]
    staff_name: Callable[[str], str]
    # A booking as this desk shows it just before its pending intent ``device_seq`` is
    # judged, ``None`` if the desk has no such booking: a re-arrangement moves its
    # bookings together or not at all (``meaning.rearranged``).
    booking_before: Callable[[str, int], Booking | None]
    # The version an answered cancel of this desk made (app.models.cancels).
    cancel_version_of: Callable[[str], int | None] = lambda _mutation_id: None
    # What Stripe took of a booking's deposit and has not refunded, by this desk's ledger.
    refundable_of: Callable[[str], int] = lambda _booking_id: 0
    # What of a booking's deposit money the venue holds, by this desk's ledger.
    held_of: Callable[[str], int] = lambda _booking_id: 0
    # The deposit policy versions this desk holds (a booking is judged by its own).
    policies_of: Callable[[], Mapping[int, DepositPolicy]] | None = None
    # The policy the server will price this desk's intent (by device_seq) by: this desk's
    # own new prices apply to what it queued after them, not before.
    policy_at: Callable[[int], DepositPolicy] | None = None

    def judging(self, m: i.AnyMutation) -> Judging:
        at = m.device_time
        name = self.staff_name(str(m.staff_id))
        rules = self.rules
        if self.policy_at is not None:
            rules = replace(rules, deposits=self.policy_at(m.device_seq))
        return Judging(
            rules=rules,
            at=at,
            vip_of=self.vip_of,
            conflict_of=self.conflict_of,
            cancel_version_of=self.cancel_version_of,
            signature=meaning.signature(self.rules.venue, name, at),
            refundable_of=self.refundable_of,
            held_of=self.held_of,
            policies_of=self.policies_of,
        )


def replay(
    key: Key,
    row: Row | None,
    intents: list[i.AnyMutation],
    venue_id: str,
    lookups: Lookups | None = None,
) -> Row | None:
    """The row after the pending ``intents``; ``None`` while nothing is known of it yet.

    ``lookups`` are needed for bookings and guests only (a floor row is its intent's fields).
    """
    kind, entity_id = key
    if kind in (B, C):
        assert lookups is not None
        return (_booking if kind is B else _customer)(entity_id, row, intents, lookups)
    for m in intents:
        base = row or {"id": entity_id, "venue_id": venue_id, "version": 0}
        if kind is T:
            base = {"min_spend_pence": 0, **base}
        if isinstance(m, i.UpdateStaff):
            row = {**base, **meaning.staff_fields(m)}
            continue
        row = {**base, **meaning.floor_fields(m), "updated_at": m.device_time.isoformat()}  # type: ignore[arg-type]
    return row


def _booking(
    entity_id: str, row: Row | None, intents: list[i.AnyMutation], lk: Lookups
) -> Row | None:
    b = booking_of(row) if row is not None else None
    # Cancels replayed here, still pending: the version each leaves, which an undo of it
    # (pending too) is judged against, as the server will once it has judged both.
    cancelled: dict[str, int] = {}

    def cancel_version_of(mutation_id: str) -> int | None:
        return cancelled.get(mutation_id, lk.cancel_version_of(mutation_id))

    for m in intents:
        j = lk.judging(m)
        if isinstance(m, i.UndoCancel):
            j = replace(j, cancel_version_of=cancel_version_of)
        if isinstance(m, i.CreateBooking):
            if b is None:
                b = _created(j, m, entity_id, lk.venue_id)
            continue
        if b is not None and isinstance(m, i.Rearrange):
            b = _rearranged(j, b, m, lk)
            continue
        if isinstance(m, i.EraseGuest):
            b = meaning.intent_after(j, b, m) if b is not None else None
            continue
        if b is None or meaning.stale_fields(b, m.args, m.base_version, m.previous):
            continue  # the server keeps a stale edit as a conflict: the row stays as it is
        try:
            b = meaning.intent_after(j, b, m)
        except DomainError:
            continue  # refused, or kept as a conflict, by the server too
        if isinstance(m, i.Cancel):
            cancelled[str(m.mutation_id)] = b.version
    return None if b is None else booking_row(b).model_dump(mode="json")


def _rearranged(j: Judging, b: Booking, m: i.Rearrange, lk: Lookups) -> Booking:
    """``b`` as the whole plan leaves it: where it was unless every booking in it moves."""
    befores = [
        b if str(mv.booking_id) == b.id else lk.booking_before(str(mv.booking_id), m.device_seq)
        for mv in m.args.moves
    ]
    known = [x for x in befores if x is not None]
    if len(known) < len(befores):
        return b  # a booking this desk has no row of cannot be judged: show nothing moved
    try:
        afters = meaning.rearranged(j, known, m.args, m.previous)
    except DomainError:
        return b  # refused by the server too
    return next(a for a in afters if a.id == b.id)


def keys_with_partners(keys: set[Key], by_key: Mapping[Key, list[i.AnyMutation]]) -> set[Key]:
    """``keys`` and every booking that shares a pending re-arrangement with one of them,
    over and over: how one of them is now decides whether the others move."""
    found, todo = set(keys), list(keys)
    while todo:
        for m in by_key.get(todo.pop(), []):
            if isinstance(m, i.Rearrange):
                partners = {(B, str(mv.booking_id)) for mv in m.args.moves} - found
                found |= partners
                todo.extend(partners)
    return found


def _created(j: Judging, m: i.CreateBooking, entity_id: str, venue_id: str) -> Any:
    try:
        return meaning.created(j, m.args, entity_id, venue_id)
    except SeatingRefused:
        return meaning.created(j, m.args, entity_id, venue_id, kept_in_conflict=True)
    except DomainError:
        # The server will refuse it; until it says so the booking stays, holding nothing.
        proposed = meaning.proposed_booking(m.args, entity_id, venue_id, j.at)
        return replace(proposed, status=BookingStatus.CONFLICT)


def _customer(_id: str, row: Row | None, intents: list[i.AnyMutation], lk: Lookups) -> Row | None:
    current: Customer | None = customer_of(row) if row is not None else None
    version = int(row["version"]) if row is not None else 0
    stamp: datetime | None = None
    for m in intents:
        stale = current is not None and m.base_version < version
        after = meaning.customer_after(current, m, lk.judging(m), stale=stale)
        if after is not None and after != current:
            current, stamp = after, m.device_time
    if current is None:
        return None
    fields = customer_data(current).model_dump(mode="json")
    base = row or {"venue_id": lk.venue_id, "version": 0}
    updated = stamp.isoformat() if stamp is not None else base.get("updated_at")
    return {**base, **fields, "updated_at": updated}
