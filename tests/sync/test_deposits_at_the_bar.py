"""A deposit taken at the bar while the internet is down reaches the server and every desk;
a waiver from a desk that may only act for reception is refused there, and shown."""

from __future__ import annotations

from datetime import timedelta

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_ledger import PaymentMethod
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.services.deposit_ledger import DepositLedger
from app.services.deposits import TakeDeposit, WaiveDeposit
from app.sync.status import SyncState
from tests.sync.relay import cut
from tests.sync.world import EVENING, TABLE, SyncDesk, server_sql


def eight_tonight(desk: SyncDesk, days_ahead: int = 0) -> str:
    """A party of 8 at tables 15 + 16 tonight (or ``days_ahead``): £80.00 owed, pending."""
    made = desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace",
            phone="0113 496 0123",
            party_size=8,
            start=EVENING + timedelta(days=days_ahead),
            duration_minutes=120,
            table_ids=(str(TABLE[15]), str(TABLE[16])),
        ),
    )
    assert made.booking.deposit_state is DepositState.REQUIRED
    return made.booking.id


def ledger_tonight(desk: SyncDesk):
    night = desk.desk.queries.venue().venue.service_day(EVENING)
    return DepositLedger(desk.store).night(night)


def test_cash_taken_offline_reaches_the_server_and_the_other_desk_sees_it_paid(
    desks, relay, sync_db
):
    reception, bar = desks("Reception"), desks("Bar")
    booking_id = eight_tonight(reception)
    reception.engine.sync_once()
    relay.fault = cut

    reception.desk.deposits.seat_at_door(
        reception.staff(Role.RECEPTION), booking_id, TakeDeposit(8000, PaymentMethod.CASH, "till 2")
    )
    offline = reception.engine.sync_once()
    [unsent] = ledger_tonight(reception).lines
    relay.fault = None
    done = reception.engine.sync_once()
    bar.engine.sync_once()

    assert offline.pending == 2 and not unsent.entry.synced
    assert done.state is SyncState.UP_TO_DATE
    assert server_sql(
        sync_db, "SELECT status, deposit_state FROM bookings WHERE id = %s", booking_id
    ) == [("seated", "paid")]
    assert server_sql(
        sync_db, "SELECT kind, amount_pence, method, note, staff_name FROM deposit_ledger"
    ) == [("payment_in_person", 8000, "cash", "till 2", "Sam Reid")]
    [line] = ledger_tonight(bar).lines
    assert (line.entry.id, line.entry.amount_pence, line.entry.synced) == (
        unsent.entry.id,
        8000,
        True,
    )
    assert ledger_tonight(bar).totals.by_method == {"cash": 8000}
    assert [line.entry.synced for line in ledger_tonight(reception).lines] == [True]
    theirs = bar.bookings()[booking_id]
    assert (theirs["status"], theirs["deposit_state"]) == ("seated", "paid")


def test_the_server_refuses_a_waiver_from_a_desk_that_acts_only_for_reception(desks, sync_db):
    reception = desks("Reception")
    booking_id = eight_tonight(reception)
    reception.engine.sync_once()
    device_id = server_sql(sync_db, "SELECT id FROM devices WHERE name = 'Reception'")[0][0]
    server_sql(
        sync_db,
        "UPDATE devices SET role_ceiling = 'reception' WHERE id = %s RETURNING id",
        device_id,
    )

    waived = reception.desk.deposits.waive(reception.staff(Role.MANAGER), booking_id, "regulars")
    status = reception.engine.sync_once()

    assert waived.booking.deposit_state is DepositState.WAIVED, "the desk showed it at once"
    [refused] = reception.desk.refusals.open()
    assert "acts for staff up to reception" in refused.reason
    assert refused.what.startswith("Waiver of the deposit of booking")
    assert status.state is SyncState.NEEDS_ATTENTION and status.refusals == 1
    assert server_sql(
        sync_db, "SELECT status, deposit_state FROM bookings WHERE id = %s", booking_id
    ) == [("pending", "required")]
    assert server_sql(sync_db, "SELECT count(*) FROM deposit_ledger") == [(0,)]
    mine = reception.bookings()[booking_id]
    assert (mine["status"], mine["deposit_state"]) == ("pending", "required")
    [line] = ledger_tonight(reception).lines
    assert "acts for staff up to reception" in (line.entry.refused or "")
    assert ledger_tonight(reception).totals.waived_pence == 0


def test_reception_on_an_out_of_date_desk_is_refused_a_waiver_by_the_server(desks, sync_db):
    reception = desks("Reception")
    booking_id = eight_tonight(reception)
    reception.engine.sync_once()
    manager = reception.staff(Role.MANAGER)
    server_sql(
        sync_db, "UPDATE staff SET role = 'reception' WHERE id = %s RETURNING id", manager.id
    )

    reception.desk.deposits.seat_at_door(manager, booking_id, WaiveDeposit("regulars"))
    reception.engine.sync_once()

    reasons = [r.reason for r in reception.desk.refusals.open()]
    assert any("may not waive a deposit" in reason for reason in reasons)
    assert server_sql(sync_db, "SELECT deposit_state FROM bookings WHERE id = %s", booking_id) == [
        ("required",)
    ]
    assert reception.bookings()[booking_id]["deposit_state"] == "required"
    assert reception.bookings()[booking_id]["status"] != BookingStatus.SEATED.value
