"""Every action the desk offers, as one use case run on the database worker.

This is the one place that knows which use case a gesture means (a booking
dropped on a table is a promotion, a seating or a move) and what each one
changes, so panels only say what staff did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain.booking import BookingStatus
from app.domain.deposit_ledger import PaymentMethod
from app.domain.errors import DomainError, NotFound, PermissionDenied
from app.domain.floorplan import Area, Combination, Table
from app.domain.permissions import Staff
from app.domain.references import format_reference
from app.protocol import Resolution
from app.services.booking_changes import BookingChanges
from app.services.booking_create import NewBooking
from app.services.common import BookingResult, Clock
from app.services.deposit_actions import Offer
from app.services.deposits import Settlement, WaiveDeposit
from app.services.desk import Desk
from app.services.give_back import GiveBackOffer
from app.services.night_plan import PlannedNight
from app.services.refusals import Amendment
from app.views.changes import Change
from app.views.state import DeskState
from app.views.workers import Done, Failed, Operations

# A confirmed party dropped on a table this close to its time is seated, not just moved.
ARRIVAL_WINDOW = timedelta(minutes=30)

S = BookingStatus


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolution's words, carried as ``message`` like a use case's result."""

    message: str


# Putting a refused change right touches bookings and what the sync badge counts.
REFUSAL_CHANGES = Change.booking() | Change.SYNC


class Commands:
    def __init__(self, desk: Desk, state: DeskState, ops: Operations) -> None:
        self.desk = desk
        self.state = state
        self.ops = ops
        self.clock: Clock = desk.clock
        # Told of each cancel this desk makes (the undo offer listens).
        self.cancelled: list[Callable[[BookingResult], None]] = []

    def _staff(self) -> Staff:
        if self.state.staff is None:
            raise PermissionDenied("Sign in first.")
        return self.state.staff

    def _write(
        self,
        fn: Callable[[Staff], Any],
        changes: Change,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        staff = self.state.staff

        def job() -> Any:
            if staff is None:
                raise PermissionDenied("Sign in first.")
            return fn(staff)

        return self.ops.write(job, changes, done, failed)

    # Bookings -----------------------------------------------------------------

    def create(
        self, cmd: NewBooking, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.create.create_booking(s, cmd), Change.booking(), done, failed
        )

    def add_to_waitlist(
        self, cmd: NewBooking, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.create.add_to_waitlist(s, cmd), Change.booking(), done, failed
        )

    def walk_in(self, party_size: int, table_ids: tuple[str, ...], done: Done | None = None) -> int:
        return self._write(
            lambda s: self.desk.create.walk_in(s, party_size, table_ids), Change.booking(), done
        )

    def place(self, booking_id: str, table_ids: tuple[str, ...], done: Done | None = None) -> int:
        """A booking dropped on tables: promote it, seat it if it is arriving, else move it."""

        def job(staff: Staff) -> BookingResult:
            view = self.desk.queries.booking(booking_id)
            if view is None:
                raise NotFound("That booking no longer exists on this desk.")
            b = view.booking
            if b.status is S.WAITLISTED:
                return self.desk.lifecycle.promote(staff, b.id, table_ids)
            now = self.clock()
            arriving = b.start - ARRIVAL_WINDOW <= now < b.end
            if b.status is S.CONFIRMED and arriving:
                return self.desk.lifecycle.seat(staff, b.id, table_ids)
            if b.status in (S.CONFIRMED, S.PENDING, S.SEATED):
                return self.desk.edits.move(staff, b.id, table_ids)
            raise DomainError(
                f"Booking {format_reference(b.reference)} is {b.status.value.replace('_', '-')}; "
                "it cannot be given a table."
            )

        return self._write(job, Change.booking(), done)

    def move(
        self,
        booking_id: str,
        table_ids: tuple[str, ...],
        start: datetime | None = None,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        return self._write(
            lambda s: self.desk.edits.move(s, booking_id, table_ids, start),
            Change.booking(),
            done,
            failed,
        )

    def edit_booking(
        self, changes: BookingChanges, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        """The edit dialog's save: time, details and guest (app.services.booking_changes)."""
        return self._write(
            lambda s: self.desk.editing.apply(s, changes), Change.booking(), done, failed
        )

    def confirm(self, booking_id: str) -> int:
        return self._write(lambda s: self.desk.lifecycle.confirm(s, booking_id), Change.booking())

    def seat(self, booking_id: str) -> int:
        return self._write(lambda s: self.desk.lifecycle.seat(s, booking_id), Change.booking())

    def seat_at_door(
        self,
        booking_id: str,
        settlement: Settlement,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Settle the deposit the party owes (paid now or waived), then seat it."""
        return self._write(
            lambda s: self.desk.deposits.seat_at_door(s, booking_id, settlement),
            Change.booking(),
            done,
            failed,
        )

    def settle_deposit(
        self,
        booking_id: str,
        settlement: Settlement,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        def settle(staff: Staff) -> BookingResult:
            if isinstance(settlement, WaiveDeposit):
                return self.desk.deposits.waive(staff, booking_id, settlement.reason)
            return self.desk.deposits.take(staff, booking_id, settlement)

        return self._write(settle, Change.booking(), done, failed)

    def deposit_offer(self, booking_id: str, *, claim: bool) -> Offer:
        """What a claim (or refund) on the booking may be, and the question to confirm."""
        actions = self.desk.deposit_actions
        offer = actions.claim_offer if claim else actions.refund_offer
        return offer(self._staff(), booking_id)

    def give_back_offer(self, booking_id: str) -> GiveBackOffer:
        """What may be recorded given back outside Stripe on the booking's deposit."""
        return self.desk.giving_back.offer(self._staff(), booking_id)

    def give_back(
        self,
        booking_id: str,
        pence: int,
        method: PaymentMethod,
        reason: str,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Record deposit money given back at the bar or by bank transfer."""
        return self._write(
            lambda s: self.desk.giving_back.give_back(s, booking_id, pence, method, reason),
            Change.booking(),
            done,
            failed,
        )

    def claim_deposit(
        self, booking_id: str, pence: int, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        """Claim a no-show's deposit from its card (carried out by the server at Stripe)."""
        return self._write(
            lambda s: self.desk.deposit_actions.claim(s, booking_id, pence),
            Change.booking(),
            done,
            failed,
        )

    def refund_deposit(
        self,
        booking_id: str,
        pence: int,
        reason: str,
        done: Done | None = None,
        failed: Failed | None = None,
    ) -> int:
        """Refund (part of) a deposit taken online (carried out by the server at Stripe)."""
        return self._write(
            lambda s: self.desk.deposit_actions.refund(s, booking_id, pence, reason),
            Change.booking(),
            done,
            failed,
        )

    def request_link(self, booking_id: str) -> int:
        """Ask the server for a payment link for the deposit (queued when offline)."""
        return self._write(lambda s: self.desk.links.request_link(s, booking_id), Change.booking())

    def send_sms(
        self, booking_id: str, text: str, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        """Ask the server to text the booking's guest (queued when offline)."""
        return self._write(
            lambda s: Resolved(self.desk.messages.send_sms(s, booking_id, text)),
            Change.SYNC,
            done,
            failed,
        )

    def resend_message(self, message_id: str, done: Done | None = None) -> int:
        """Ask the server to send a failed guest message again (queued when offline)."""
        return self._write(
            lambda s: Resolved(self.desk.messages.resend(s, message_id)), Change.SYNC, done
        )

    def mark_messages_seen(self, booking_id: str) -> int:
        """The booking's guest replies were shown to staff here (the badge stops counting)."""
        return self._write(lambda _s: self.desk.messages.mark_seen(booking_id), Change.SYNC)

    def resend_link(self, booking_id: str) -> int:
        """Ask the server to send the guest the booking's live link again."""
        return self._write(lambda s: self.desk.links.resend_link(s, booking_id), Change.booking())

    def tell(self, text: str, *, ok: bool = True) -> None:
        """Show staff a view's own words where the use cases' messages go."""
        (self.ops.succeeded if ok else self.ops.refused).emit(text)

    def complete(self, booking_id: str) -> int:
        return self._write(lambda s: self.desk.lifecycle.complete(s, booking_id), Change.booking())

    def record_spend(
        self, booking_id: str, spend: str, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        """What the party spent, as staff typed it in pounds (app.services.spend)."""
        return self._write(
            lambda s: self.desk.spend.record(s, booking_id, spend), Change.booking(), done, failed
        )

    def set_prices(
        self, terms: dict[str, Any], done: Done | None = None, failed: Failed | None = None
    ) -> int:
        """A new version of the venue's deposits and packages (app.services.prices)."""
        return self._write(
            lambda s: self.desk.prices.set(s, terms), Change.SYNC | Change.VENUE, done, failed
        )

    def no_show(self, booking_id: str) -> int:
        return self._write(lambda s: self.desk.lifecycle.no_show(s, booking_id), Change.booking())

    def cancel(self, booking_id: str, reason: str = "") -> int:
        def done(result: BookingResult) -> None:
            for listener in self.cancelled:
                listener(result)

        return self._write(
            lambda s: self.desk.lifecycle.cancel(s, booking_id, reason), Change.booking(), done
        )

    def undo_cancel(
        self, booking_id: str, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.lifecycle.undo_cancel(s, booking_id),
            Change.booking(),
            done,
            failed,
        )

    def promote(self, booking_id: str, table_ids: tuple[str, ...] | None = None) -> int:
        return self._write(
            lambda s: self.desk.lifecycle.promote(s, booking_id, table_ids), Change.booking()
        )

    def accept_offer(self, booking_id: str, table_ids: tuple[str, ...], begins: datetime) -> int:
        """The guest said yes: seat them on the held table at the offered time."""
        return self._write(
            lambda s: self.desk.lifecycle.promote(s, booking_id, table_ids, begins),
            Change.booking(),
        )

    def decline_offer(self, booking_id: str, name: str) -> int:
        """The guest said no or did not answer: the table goes to the next who fits."""

        def decline(staff: Staff) -> Resolved:
            news = self.desk.offers.news(self.desk.offers.decline(booking_id))
            return Resolved(f"{name} declined the table. {news or 'Nobody else waiting fits it.'}")

        return self._write(decline, Change.WAITLIST | Change.OCCUPANCY)

    def settle_offers(self) -> int:
        """Expire and pass on offers as time goes by (the panel's timer)."""

        def settle() -> tuple[bool, str]:
            events = self.desk.offers.settle()
            return bool(events), self.desk.offers.news(events)

        def done(result: tuple[bool, str]) -> None:
            changed, news = result
            if changed:
                self.ops.changed.emit(Change.WAITLIST | Change.OCCUPANCY)
            if news:
                self.ops.succeeded.emit(news)

        return self.ops.db.submit(settle, done)

    def resolve_conflict(self, conflict_id: str, resolution: Resolution) -> int:
        inbox = self.desk.conflicts
        return self._write(
            lambda s: Resolved(inbox.resolve(s, conflict_id, resolution)), Change.booking()
        )

    def acknowledge_refusals(self, device_seqs: Sequence[int], done: Done | None = None) -> int:
        """Staff read these refusals; the other desks hear so through the server."""
        seqs = tuple(device_seqs)
        return self._write(lambda s: self.desk.refusals.acknowledge(seqs, s), Change.SYNC, done)

    def acknowledge_elsewhere(self, ids: Sequence[str], done: Done | None = None) -> int:
        """Staff here read these other desks' refusals; desk-local."""
        read = tuple(ids)
        return self._write(
            lambda _s: self.desk.refusals.acknowledge_elsewhere(read), Change.SYNC, done
        )

    def apply_night_plan(self, planned: PlannedNight) -> int:
        return self._write(lambda s: self.desk.night_plan.apply(s, planned), Change.booking())

    # Refused changes ------------------------------------------------------------

    def retry_refusal(self, device_seq: int, done: Done) -> int:
        return self._write(lambda s: self.desk.refusals.retry(s, device_seq), REFUSAL_CHANGES, done)

    def discard_refusal(self, device_seq: int, done: Done) -> int:
        return self._write(
            lambda s: self.desk.refusals.discard(s, device_seq), REFUSAL_CHANGES, done
        )

    def mark_refusal_amended(self, device_seq: int, done: Done) -> int:
        return self._write(
            lambda s: self.desk.refusals.mark_amended(s, device_seq), REFUSAL_CHANGES, done
        )

    def amend_refusal(self, device_seq: int, amendment: Amendment, done: Done) -> int:
        return self._write(
            lambda s: self.desk.refusals.amend(s, device_seq, amendment), REFUSAL_CHANGES, done
        )

    # Floor plan ---------------------------------------------------------------

    def move_table(
        self,
        table_id: str,
        x: float,
        y: float,
        rotation: float | None = None,
        failed: Failed | None = None,
    ) -> int:
        return self._write(
            lambda s: self.desk.floor.move_table(s, table_id, x, y, rotation),
            Change.FLOOR_PLAN | Change.SYNC,
            failed=failed,
        )

    def save_table(
        self, table: Table, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.floor.save_table(s, table),
            Change.FLOOR_PLAN | Change.OCCUPANCY | Change.SYNC,
            done,
            failed,
        )

    def save_area(self, area: Area, done: Done | None = None, failed: Failed | None = None) -> int:
        return self._write(lambda s: self.desk.floor.save_area(s, area), FLOOR_SETUP, done, failed)

    def remove_area(
        self, area_id: str, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.floor.remove_area(s, area_id), FLOOR_SETUP, done, failed
        )

    def save_combination(
        self, combo: Combination, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.floor.save_combination(s, combo), FLOOR_SETUP, done, failed
        )

    def retire_combination(
        self, combination_id: str, done: Done | None = None, failed: Failed | None = None
    ) -> int:
        return self._write(
            lambda s: self.desk.floor.retire_combination(s, combination_id),
            FLOOR_SETUP,
            done,
            failed,
        )


# Areas and combinations change the plan (and what the booking form offers), not occupancy.
FLOOR_SETUP = Change.FLOOR_PLAN | Change.SYNC
