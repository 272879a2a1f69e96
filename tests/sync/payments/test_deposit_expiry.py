"""A payment link that expires unpaid, seen from the desks: the real server (payments set
up against the Stripe fake, on a loopback socket), real desks on SQLite files. The desk
that sent the link pulls the cancellation and, when it settles its waitlist (its timer),
offers the freed tables to the guest who fits; the other desk shows the cancellation and
offers nothing, so one table is never offered twice."""

from __future__ import annotations

from app.cli import main
from app.domain.booking import BookingStatus
from app.domain.deposit_ledger import PaymentMethod
from app.domain.deposit_links import RequestStatus
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from app.services.deposits import TakeDeposit
from app.views.models import booking_tooltip
from tests.sync.test_deposits_at_the_bar import eight_tonight
from tests.sync.world import EVENING, TABLE, SyncDesk, server_sql

REASON = "Deposit not paid: the payment link expired at 16:00 (Europe/London)."


def links_last_an_hour(sync_db: str) -> None:
    server_sql(
        sync_db,
        "UPDATE venues SET settings = jsonb_set(settings, '{deposit_policy,link_minutes}', "
        "'60') RETURNING 1",
    )


def ben_waits_for_seven(desk: SyncDesk) -> str:
    waiting = NewBooking(
        name="Ben Ho", phone="0113 496 0002", party_size=7, start=EVENING, duration_minutes=120
    )
    return desk.desk.create.add_to_waitlist(desk.staff(Role.RECEPTION), waiting).booking.id


def test_the_desk_that_sent_an_expired_link_offers_the_freed_tables_to_its_waitlist(
    desks, relay, sync_db, stripe_fake, server_clock, capsys
):
    links_last_an_hour(sync_db)
    reception, manager = desks("Reception"), desks("Manager laptop")
    booking_id = eight_tonight(reception)
    ben = ben_waits_for_seven(reception)
    reception.engine.sync_once()
    reception.desk.links.request_link(reception.staff(Role.RECEPTION), booking_id)
    reception.engine.sync_once()
    manager.engine.sync_once()

    # 16:01 on every clock: past the link's deadline, unpaid.
    for clock in (server_clock, reception.clock, manager.clock):
        clock.advance(minutes=61)
    stripe_fake.set_now(int(server_clock.now().timestamp()))
    delivered = stripe_fake.deliver()
    reception.engine.sync_once()
    manager.engine.sync_once()
    offered = reception.desk.offers.settle()
    elsewhere = manager.desk.offers.settle()

    assert delivered and {d["status"] for d in delivered} == {200}
    night = reception.desk.queries.venue().venue.service_day(EVENING)
    [offer] = reception.desk.offers.offers(night)
    assert offer.booking.id == ben and offer.customer.name == "Ben Ho"
    assert set(offer.seating.table_ids) == {str(TABLE[15]), str(TABLE[16])}
    assert offer.why == "deposit not paid"
    assert "offered to Ben Ho (party of 7)" in reception.desk.offers.news(offered)
    assert elsewhere == () and manager.desk.offers.offers(night) == []
    for desk in (reception, manager):
        view = desk.desk.queries.booking(booking_id)
        assert view is not None and view.link is not None
        assert view.booking.status is BookingStatus.CANCELLED
        assert view.link.status is RequestStatus.EXPIRED
        venue = desk.desk.queries.venue().venue
        assert f"Cancelled by the server. {REASON}" in booking_tooltip(venue, view)
    # The desk's timer runs again: the same freed tables are not offered a second time.
    assert reception.desk.offers.settle() == ()
    assert len(reception.desk.offers.offers(night)) == 1
    listed = main(["--db", str(reception.path), "deposits", "list"], clock=reception.clock)
    assert listed == 0
    assert f"link expired unpaid — cancelled by the server: {REASON}" in capsys.readouterr().out


def test_a_deposit_paid_at_the_bar_keeps_the_booking_when_its_link_runs_out(
    desks, relay, sync_db, stripe_fake, server_clock
):
    links_last_an_hour(sync_db)
    reception = desks("Reception")
    booking_id = eight_tonight(reception)
    ben_waits_for_seven(reception)
    staff = reception.staff(Role.RECEPTION)
    reception.engine.sync_once()
    reception.desk.links.request_link(staff, booking_id)
    reception.engine.sync_once()
    reception.desk.deposits.take(staff, booking_id, TakeDeposit(8000, PaymentMethod.CASH))
    reception.engine.sync_once()

    for clock in (server_clock, reception.clock):
        clock.advance(minutes=61)
    stripe_fake.set_now(int(server_clock.now().timestamp()))
    stripe_fake.deliver()
    reception.engine.sync_once()

    view = reception.desk.queries.booking(booking_id)
    assert view is not None and view.booking.status is BookingStatus.CONFIRMED
    assert reception.desk.offers.settle() == ()
    night = reception.desk.queries.venue().venue.service_day(EVENING)
    assert reception.desk.offers.offers(night) == []
