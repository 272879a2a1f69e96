"""The conflicts inbox: conflicts synced from the server, and resolving one.

A resolution is itself an intent (``resolve_conflict``), recorded with its audit
event in one transaction like any use case, shown at once on this desk and
ordered by the server against whatever another desk decided meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain.allocation import SeatingRequest, allocate
from app.domain.booking import Booking, BookingStatus, booking_snapshot
from app.domain.errors import DomainError, NotFound
from app.domain.permissions import Action, Staff
from app.models.journal import Change
from app.models.sync_tables import SyncConflictRow
from app.models.tables import DeviceRow, OutboxRow
from app.models.uow import Reader, Store
from app.sync import mirror, overlay
from app.sync.protocol import IntentName, Resolution
from app.sync.status import ConflictSide, ConflictView

Clock = Any  # () -> aware datetime, the use cases' clock port

WORDS = {
    Resolution.MOVE: "move ours",
    Resolution.KEEP_MINE: "keep ours",
    Resolution.KEEP_THEIRS: "keep theirs",
    Resolution.WAITLIST: "waitlist ours",
    Resolution.CANCEL: "cancel ours and call the guest",
    Resolution.KEEP_BOTH: "keep both (manager)",
}
KIND_WORDS = {
    "overlap": "Double booking",
    "stale_edit": "Changed on two desks",
    "edit_after_cancel": "Changed after it was cancelled",
    "illegal_move": "Status change not allowed",
    "invalid": "Cannot be seated as booked",
}


class ConflictInbox:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def open(self) -> list[ConflictView]:
        """Open conflicts, oldest first; one being resolved here says so."""
        with self.store.read() as reader:
            device_id = reader.session.scalars(select(DeviceRow.id)).one()
            bundle = reader.venue.get()
            resolving = _resolving(reader)
            rows = reader.session.scalars(
                select(SyncConflictRow)
                .where(SyncConflictRow.state == "open")
                .order_by(SyncConflictRow.created_at, SyncConflictRow.id)
            )
            return [self._view(reader, bundle, device_id, r, r.id in resolving) for r in rows]

    def open_ids(self) -> list[str]:
        return [v.id for v in self.open()]

    def resolve(
        self,
        staff: Staff,
        conflict_id: str,
        resolution: Resolution,
        *,
        table_ids: Sequence[str] = (),
        start: datetime | None = None,
        note: str = "",
    ) -> str:
        """Record staff's decision as an intent; the words to show them."""
        staff.require(
            Action.OVERRIDE_CONFLICT
            if resolution is Resolution.KEEP_BOTH
            else Action.RESOLVE_CONFLICT
        )
        now = self.clock()
        with self.store.unit_of_work() as uow:
            conflict = uow.session.get(SyncConflictRow, conflict_id)
            if conflict is None or conflict.state != "open":
                raise NotFound("That conflict is no longer open; another desk resolved it.")
            if conflict_id in _resolving(uow):
                raise DomainError("This conflict is already being resolved on this desk.")
            if resolution.value not in conflict.allowed:
                allowed = ", ".join(WORDS[Resolution(a)] for a in conflict.allowed)
                raise DomainError(f"This conflict can be resolved by: {allowed}.")
            before = uow.bookings.get(conflict.booking_id)
            if before is None:
                raise NotFound("The booking in this conflict is not on this desk yet; sync first.")
            bundle = uow.venue.get()
            if resolution is Resolution.MOVE and not table_ids:
                table_ids = _free_tables(uow, bundle, before)
            combined = len(table_ids) > 1
            args: dict[str, Any] = {
                "conflict_id": conflict_id,
                "resolution": resolution.value,
                "note": note,
            }
            if table_ids:
                args |= {"table_ids": list(table_ids), "combined": combined}
            if start is not None:
                args["start"] = start.isoformat()
            row = _as_row(before)
            changed = overlay.apply_resolution(row, args, conflict.detail)
            after = _booking_from(before, {**row, **changed}, now)
            uow.journal.record(
                staff=staff,
                at=now,
                intent=IntentName.RESOLVE_CONFLICT,
                entity_id=before.id,
                base_version=before.version,
                args=args,
                previous={"status": before.status.value},
                changes=[
                    Change("booking", before.id, booking_snapshot(before), booking_snapshot(after))
                ],
            )
            mirror.write(
                uow.session,
                mirror.E.BOOKING,
                {**_as_row(after), "venue_id": bundle.venue.id},
                bundle.venue,
            )
            uow.commit()
        return f"{WORDS[resolution].capitalize()}: sent to the server."

    def _view(
        self, reader: Reader, bundle: Any, device_id: str, r: SyncConflictRow, resolving: bool
    ) -> ConflictView:
        detail: Mapping[str, Any] = r.detail or {}
        mine = detail.get("mine") if isinstance(detail.get("mine"), Mapping) else None
        theirs = detail.get("theirs") if isinstance(detail.get("theirs"), Mapping) else None
        ours = self._side(reader, bundle, mine, r.booking_id, r, device_id, ours=True)
        other_id = r.other_booking_id or r.booking_id
        their_side = self._side(reader, bundle, theirs, other_id, r, device_id, ours=False)
        summary = f"{KIND_WORDS.get(r.kind, r.kind)}: {detail.get('message', '')}".strip()
        if resolving:
            summary = f"Being resolved on this desk… {summary}"
        return ConflictView(
            id=r.id,
            summary=summary,
            ours=ours,
            theirs=their_side,
            resolutions=tuple(WORDS[Resolution(a)] for a in r.allowed),
            detected_at=r.created_at,
        )

    def _side(
        self,
        reader: Reader,
        bundle: Any,
        side: Mapping[str, Any] | None,
        booking_id: str,
        r: SyncConflictRow,
        device_id: str,
        *,
        ours: bool,
    ) -> ConflictSide:
        booking = reader.bookings.get(str((side or {}).get("booking_id", booking_id)))
        guest = ""
        if booking is not None:
            customer = reader.customers.get(booking.customer_id)
            guest = customer.name if customer else ""
        side = side or {}
        tables = side.get("table_ids")
        if tables is None and booking is not None:
            tables = list(booking.table_ids)
        try:
            table_words = bundle.plan.numbers(str(t) for t in tables or [])
        except NotFound:
            table_words = ", ".join(str(t) for t in tables or [])
        start = side.get("start")
        when = mirror.instant(start) if start else (booking.start if booking else r.created_at)
        party = side.get("party_size", booking.party_size if booking else 0)
        desk = "this desk" if r.device_id == device_id else "another desk"
        return ConflictSide(
            guest=guest,
            party_size=int(party or 0),
            start=when,  # type: ignore[arg-type]
            tables=table_words,
            desk=desk if ours else "",
            staff=r.staff_name if ours else "",
        )


def _free_tables(reader: Reader, bundle: Any, booking: Booking) -> tuple[str, ...]:
    """The best free tables for a conflicted booking at its own time, or a refusal in words."""
    day = bundle.venue.service_day(booking.start)
    nearby = reader.bookings.around([day - timedelta(days=1), day, day + timedelta(days=1)])
    request = SeatingRequest(
        booking.party_size, booking.start, booking.duration_minutes, booking_id=booking.id
    )
    seating = allocate(bundle.plan, nearby, request)
    if seating is None:
        raise DomainError(
            f"No table is free for a party of {booking.party_size} at "
            f"{bundle.venue.show_time(booking.start)}; waitlist them or call the guest."
        )
    return seating.table_ids


def _resolving(reader: Reader) -> set[str]:
    rows = reader.session.scalars(
        select(OutboxRow).where(OutboxRow.name == IntentName.RESOLVE_CONFLICT.value)
    )
    return {str(r.args["conflict_id"]) for r in rows}


def _as_row(b: Booking) -> dict[str, Any]:
    return {
        "id": b.id,
        "venue_id": b.venue_id,
        "version": b.version,
        "updated_at": b.updated_at,
        "reference": b.reference,
        "customer_id": b.customer_id,
        "party_size": b.party_size,
        "start": b.start,
        "duration_minutes": b.duration_minutes,
        "status": b.status.value,
        "created_at": b.created_at,
        "table_ids": list(b.table_ids),
        "combined": b.combined,
        "special_requests": b.special_requests,
        "occasion": b.occasion,
        "notes": b.notes,
        "priority_score": b.priority_score,
        "deposit_state": b.deposit_state.value,
        "deposit_pence": b.deposit_pence,
        "source": b.source.value,
        "waitlisted_at": b.waitlisted_at,
    }


def _booking_from(before: Booking, row: Mapping[str, Any], now: datetime) -> Booking:
    return replace(
        before,
        status=BookingStatus(row["status"]),
        table_ids=tuple(str(t) for t in row["table_ids"]),
        combined=bool(row["combined"]),
        start=mirror.instant(row["start"]) or before.start,
        duration_minutes=int(row["duration_minutes"]),
        party_size=int(row["party_size"]),
        notes=str(row["notes"]),
        updated_at=now,
    )
