"""The rows staff see: each server row (its shadow) with this desk's pending intents over it.

``Replay`` reads the outbox once and answers for any row (app.sync.overlay does
the replaying). A re-arrangement ties its bookings together: whether one of
them moves depends on how the others are just before it is judged, so a pull
that changes one rebuilds them all (``overlay.keys_with_partners``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.booking import Booking
from app.domain.conflicts import ConflictKind
from app.domain.deposit_actions import refundable_pence
from app.domain.deposit_ledger import held_pence
from app.models.cancels import CancelRecords
from app.models.ledger_repository import LedgerRepository
from app.models.policy_repository import (
    pending_versions,
    policy_before,
    pulled_policies,
    pulled_policy,
)
from app.models.repositories import VenueRepository
from app.models.sync_tables import SyncConflictRow, SyncShadowRow, SyncStaffAliasRow
from app.models.tables import CustomerRow, OutboxRow, StaffRow, VenueRow
from app.protocol import AnyMutation, EntityKind
from app.protocol.codec import booking_of
from app.protocol.meaning import ConflictFacts, parse
from app.sync import overlay
from app.sync.overlay import Key, Lookups

_REPLAYED = (EntityKind.CUSTOMER, EntityKind.BOOKING)


class Replay:
    """This desk's pending intents, ready to be replayed over the shadows in ``session``."""

    def __init__(self, session: Session, venue_id: str) -> None:
        self.session, self.venue_id = session, venue_id
        self.pending: dict[Key, list[AnyMutation]] = defaultdict(list)
        for body in session.scalars(select(OutboxRow.body).order_by(OutboxRow.device_seq)):
            intent = parse(body)
            for key in overlay.keys_of(intent):
                self.pending[key].append(intent)
        self._lookups: Lookups | None = None
        self._before: dict[tuple[str, int], Booking | None] = {}
        # The shadows read ahead for the rows being rebuilt (None: none yet); any other
        # is looked up in the session.
        self.shadows: dict[Key, SyncShadowRow | None] = {}

    def keys(self, touched: set[Key]) -> set[Key]:
        """The rows to rebuild when ``touched`` changed."""
        return overlay.keys_with_partners(touched, self.pending)

    def row(self, key: Key) -> dict[str, Any] | None:
        """The row as staff see it: ``None`` while nothing is known of it yet."""
        return self._replayed(key, self.pending.get(key, []))

    def _replayed(self, key: Key, intents: list[AnyMutation]) -> dict[str, Any] | None:
        if key in self.shadows:
            shadow = self.shadows[key]
        else:
            shadow = self.session.get(SyncShadowRow, (key[0].value, key[1]))
        row: dict[str, Any] | None = dict(shadow.data) if shadow is not None else None
        if not intents:
            return row
        lookups = self.lookups() if key[0] in _REPLAYED else None
        return overlay.replay(key, row, intents, self.venue_id, lookups)

    def lookups(self) -> Lookups:
        # Read once, and only if a guest or booking has pending intents: by then the
        # floor plan and staff of a pulled page are in place (apply.ORDER).
        if self._lookups is None:
            self._lookups = _lookups(self.session, self.venue_id, self._booking_before)
        return self._lookups

    def _booking_before(self, booking_id: str, seq: int) -> Booking | None:
        if (booking_id, seq) not in self._before:
            key = (EntityKind.BOOKING, booking_id)
            earlier = [m for m in self.pending.get(key, []) if m.device_seq < seq]
            row = self._replayed(key, earlier)
            self._before[booking_id, seq] = None if row is None else booking_of(row)
        return self._before[booking_id, seq]


def _lookups(
    session: Session, venue_id: str, booking_before: Callable[[str, int], Booking | None]
) -> Lookups:
    """What replaying pending intents needs, read from this desk's file as it is now."""
    conflicts = {
        r.id: ConflictFacts(ConflictKind(r.kind), r.detail)
        for r in session.scalars(select(SyncConflictRow))
    }
    aliases = dict(
        session.execute(select(SyncStaffAliasRow.old_id, SyncStaffAliasRow.new_id)).all()
    )
    names = dict(session.execute(select(StaffRow.id, StaffRow.name)).all())

    def vip_of(customer_id: str) -> bool | None:
        customer = session.get(CustomerRow, customer_id)
        return None if customer is None else customer.vip

    def staff_name(staff_id: str) -> str:
        return names.get(aliases.get(staff_id, staff_id), "staff")

    pulled = pulled_policy(session.scalars(select(VenueRow)).one())
    pending = pending_versions(session, pulled)
    return Lookups(
        rules=VenueRepository(session).get(),
        venue_id=venue_id,
        vip_of=vip_of,
        conflict_of=conflicts.get,
        staff_name=staff_name,
        booking_before=booking_before,
        cancel_version_of=CancelRecords(session).version_of,
        refundable_of=lambda booking_id: refundable_pence(
            LedgerRepository(session).of_bookings([booking_id])
        ),
        held_of=lambda booking_id: held_pence(LedgerRepository(session).of_bookings([booking_id])),
        policies_of=lambda: pulled_policies(session) | {p.version: p for _, p in pending},
        policy_at=lambda seq: policy_before(pending, pulled, seq),
    )
