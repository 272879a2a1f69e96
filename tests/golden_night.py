"""The golden night: Saturday 28 November 2026 at The Backroom, built by hand through the real
use cases on a real desk file, so every figure of its review can be worked out on paper.

Booked on Wednesday 25th at 15:00 (the suite's START), for Saturday (GMT: venue time = UTC):

    A  Ann Ash     4  19:00  table 4   seated 19:05, left 21:00        turn 115
    B  Ben Birch   2  20:00  table 1   seated 20:00, left 21:20        turn  80
    C  Cat Cole    6  23:30  table 9   £60 paid cash Wed; seated 23:30, left Sun 01:15 (turn 105)
    D  Dan Dale    6  21:00  table 10  £60 paid cash Wed; no-show at 21:45 (forfeited)
    E  Eve Eden    6  20:30  table 11  £60 paid cash Wed; cancelled Sat 18:00 (late);
                                       £60 refunded 18:05 (pulled from the server)
    F  Fay Frost   2  22:00  table 2   cancelled Thu 26th 12:00 (not late)
    H  Hal Hume    6  22:00  table 15  £60 deposit never paid: still pending (outstanding)
    P  Pia Price   4  20:30  waitlisted Sat 17:30; offered table 11 when Eve cancelled,
                                       accepted 18:05; seated 20:35, left 22:30 (turn 115)
    Q  Quin Quay   2  22:00  waitlisted Sat 17:40; offered Fay's table 2 at once, then the
                                       tables B, W1 and W2 left early (21:20, 21:30, 00:30):
                                       let all four offers expire, still waiting at close
    W1 walk-in     2  20:15  table 13  left 21:30                       turn  75
    W2 walk-in     3  22:45  table 14  left Sun 00:30                  turn 105
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time

from app.domain.deposit_ledger import LedgerKind, PaymentMethod
from app.domain.permissions import Staff
from app.models.ledger_repository import write_pulled
from app.protocol.rows import LedgerRow
from app.services.booking_create import NewBooking
from app.services.deposits import TakeDeposit
from app.services.desk import Desk

SATURDAY = date(2026, 11, 28)


def sat(hh: int, mm: int = 0) -> datetime:
    """Saturday night's wall time (before 06:00 is Sunday morning, the same night)."""
    day = 29 if hh < 6 else 28
    return datetime(2026, 11, day, hh, mm, tzinfo=UTC)


def build_golden_night(desk: Desk, staff: Staff, clock) -> dict[str, str]:
    """Returns each party's letter to its booking id."""
    plan = desk.queries.venue().plan

    def table(n: int) -> tuple[str, ...]:
        return (plan.table_by_number(n).id,)

    def book(
        name: str, phone: str, size: int, at: datetime, tables: tuple[str, ...], package=None
    ) -> str:
        cmd = NewBooking(
            name=name, phone=phone, party_size=size, start=at, table_ids=tables, package_id=package
        )
        return desk.create.create_booking(staff, cmd).booking.id

    def wait(name: str, phone: str, size: int, at: datetime) -> str:
        cmd = NewBooking(name=name, phone=phone, party_size=size, start=at)
        return desk.create.add_to_waitlist(staff, cmd).booking.id

    def at(moment: datetime) -> None:
        clock.now = moment

    # Table 4 is sold with an £80 minimum spend, booth 9 with £150 (app.domain.spend).
    for number, minimum in ((4, 8_000), (9, 15_000)):
        desk.floor.save_table(staff, replace(plan.table_by_number(number), min_spend_pence=minimum))
    ids: dict[str, str] = {}
    # Packages (resources/backroom.json): Ann's prosecco at £25 a head, Cat's booth bottle
    # service at £180 a party, Dan's prosecco (a no-show: never served).
    ids["A"] = book("Ann Ash", "0113 496 0001", 4, sat(19), table(4), "prosecco")
    ids["B"] = book("Ben Birch", "0113 496 0002", 2, sat(20), table(1))
    ids["C"] = book("Cat Cole", "0113 496 0003", 6, sat(23, 30), table(9), "booth-bottles")
    ids["D"] = book("Dan Dale", "0113 496 0004", 6, sat(21), table(10), "prosecco")
    ids["E"] = book("Eve Eden", "0113 496 0005", 6, sat(20, 30), table(11))
    ids["F"] = book("Fay Frost", "0113 496 0006", 2, sat(22), table(2))
    ids["H"] = book("Hal Hume", "0113 496 0007", 6, sat(22), table(15))
    cash = TakeDeposit(6000, PaymentMethod.CASH)
    for letter in "CDE":
        desk.deposits.take(staff, ids[letter], cash)

    at(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    desk.lifecycle.cancel(staff, ids["F"], "guest cancelled")

    at(sat(17, 30))
    ids["P"] = wait("Pia Price", "0113 496 0008", 4, sat(20, 30))
    at(sat(17, 40))
    ids["Q"] = wait("Quin Quay", "0113 496 0009", 2, sat(22))
    at(sat(18))
    desk.lifecycle.cancel(staff, ids["E"], "guest cancelled")
    at(sat(18, 5))
    [offer] = [o for o in desk.offers.offers(SATURDAY) if o.booking.id == ids["P"]]
    desk.lifecycle.promote(staff, ids["P"], offer.seating.table_ids, offer.begins)
    _refund(desk, staff, ids["E"], 6000, sat(18, 5))

    def seat(letter: str, moment: datetime) -> None:
        at(moment)
        desk.lifecycle.seat(staff, ids[letter])

    def leave(letter: str, moment: datetime) -> None:
        at(moment)
        desk.lifecycle.complete(staff, ids[letter])

    def walk_in(letter: str, size: int, moment: datetime, tables: tuple[str, ...]) -> None:
        at(moment)
        ids[letter] = desk.create.walk_in(staff, size, tables).booking.id

    seat("A", sat(19, 5))
    seat("B", sat(20))
    walk_in("W1", 2, sat(20, 15), table(13))
    seat("P", sat(20, 35))
    leave("A", sat(21))
    desk.spend.record(staff, ids["A"], "95.00")  # met
    leave("B", sat(21, 20))
    leave("W1", sat(21, 30))
    desk.spend.record(staff, ids["W1"], 4_000)  # table 13 has no minimum
    at(sat(21, 45))
    desk.lifecycle.no_show(staff, ids["D"])
    leave("P", sat(22, 30))
    walk_in("W2", 3, sat(22, 45), table(14))
    seat("C", sat(23, 30))
    leave("W2", sat(0, 30))
    leave("C", sat(1, 15))
    desk.spend.record(staff, ids["C"], 12_000)  # £30 short of booth 9's £150
    at(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))  # the morning after
    return ids


def _refund(desk: Desk, staff: Staff, booking_id: str, pence: int, moment: datetime) -> None:
    """A refund as the server records it (Stripe refunds are the server's), pulled by sync."""
    note = "late cancellation, refunded as a goodwill gesture"
    pulled(desk, staff, booking_id, LedgerKind.REFUND, pence, moment, note)


def pulled(
    desk: Desk,
    staff: Staff,
    booking_id: str,
    kind: LedgerKind,
    pence: int,
    moment: datetime,
    note: str = "",
) -> None:
    """A ledger entry the server recorded (Stripe's money is the server's), pulled by sync."""
    venue_id = desk.queries.venue().venue.id
    row = LedgerRow(
        id=uuid.uuid4(),
        venue_id=uuid.UUID(venue_id),
        version=99,
        updated_at=moment,
        booking_id=uuid.UUID(booking_id),
        kind=kind,
        amount_pence=pence,
        currency="GBP",
        staff_id=uuid.UUID(staff.id),
        staff_name=staff.name,
        recorded_at=moment,
        note=note,
    )
    with desk.store.unit_of_work() as uow:
        write_pulled(uow.session, [row])
        uow.commit()


__all__ = ["SATURDAY", "build_golden_night", "pulled", "sat", "time"]
