"""Deposits and packages set by a manager on a desk with the internet down: that desk
prices by them at once, the server takes them on sync and every desk prices by them
after its next pull. Two managers who set prices offline on the same version: the first
to sync wins, the second desk is told in words and prices by the winner's again."""

from __future__ import annotations

from app.domain.permissions import Role
from tests.sync.test_deposit_policy_sync import book_eight, deposit
from tests.sync.world import EVENING, SyncDesk, server_sql

# Wednesday (EVENING) is not a busy night: the plan file asks £10 a head of 8+; these ask
# £15 a head of 8+ (8 × £15 = £120.00), or £20 (£160.00).
AT_15 = {
    "tiers": [{"min_party": 8, "pence": 1500}],
    "busy_tiers": [{"min_party": 6, "pence": 1500}],
}
AT_20 = {
    "tiers": [{"min_party": 8, "pence": 2000}],
    "busy_tiers": [{"min_party": 6, "pence": 2000}],
}


def set_prices(desk: SyncDesk, terms: dict) -> None:
    desk.desk.prices.set(desk.staff(Role.MANAGER), terms)


def test_prices_set_offline_price_that_desk_at_once_and_every_desk_after_sync(desks, sync_db):
    laptop, reception = desks("Laptop"), desks("Reception")
    laptop.engine.sync_once()
    reception.engine.sync_once()

    set_prices(laptop, AT_15)  # offline: nothing sent yet
    on_the_laptop = deposit(laptop, book_eight(laptop, 12))
    laptop.engine.sync_once()
    reception.engine.sync_once()
    at_reception = deposit(reception, book_eight(reception, 15, 16))
    reception.engine.sync_once()

    assert on_the_laptop == (12000, 2, "required")
    assert at_reception == (12000, 2, "required")
    assert reception.desk.prices.whose().startswith("Version 2 is in force: set by Alex Moore (")
    assert [line.split(" (")[0] for line in reception.desk.prices.history()] == [
        "version 1: set by the venue's plan file",
        "version 2: set by Alex Moore",
    ]
    versions = "SELECT policy_version, set_by FROM deposit_policies ORDER BY policy_version"
    assert server_sql(sync_db, versions) == [(1, "the venue's plan file"), (2, "Alex Moore")]
    assert sorted(
        server_sql(sync_db, "SELECT deposit_pence, deposit_policy_version FROM bookings")
    ) == [(12000, 2), (12000, 2)]


def test_two_managers_offline_the_first_to_sync_wins_and_the_other_is_told(desks, sync_db):
    laptop, office = desks("Laptop"), desks("Office")
    laptop.engine.sync_once()
    office.engine.sync_once()

    set_prices(laptop, AT_15)
    set_prices(office, AT_20)
    priced_offline = deposit(office, book_eight(office, 12))
    laptop.engine.sync_once()
    office.engine.sync_once()

    (refused,) = office.desk.refusals.open()
    assert refused.what == "New deposits and packages for the venue"
    assert "another desk changed them first" in refused.reason
    assert priced_offline == (16000, 2, "required")
    # The office prices by the laptop's version now, and the server priced its booking so.
    assert office.desk.prices.in_force().tiers[0].pence == 1500
    assert deposit(office, book_eight(office, 15, 16)) == (12000, 2, "required")
    office.engine.sync_once()
    # The booking it priced at £20 a head offline: priced by the laptop's version on the
    # server (which prices every booking itself), and so on the office desk too.
    assert sorted(server_sql(sync_db, "SELECT deposit_pence FROM bookings")) == [
        (12000,),
        (12000,),
    ]
    listed = office.desk.queries.bookings_on(EVENING.date())
    assert {deposit(office, b.booking.id)[0] for b in listed} == {12000}


def test_a_pull_that_brings_new_prices_tells_the_window_to_read_the_venue_again(desks):
    laptop, reception = desks("Laptop"), desks("Reception")
    laptop.engine.sync_once()
    reception.engine.sync_once()
    start = reception.engine.monitor.status

    book_eight(laptop, 12)
    laptop.engine.sync_once()
    after_a_booking = reception.engine.sync_once()
    set_prices(laptop, AT_15)
    laptop.engine.sync_once()
    after_prices = reception.engine.sync_once()

    assert after_a_booking.pulled == start.pulled + 1
    assert after_a_booking.venue_pulled == start.venue_pulled
    assert after_prices.venue_pulled == start.venue_pulled + 1


def test_a_pull_that_answers_this_desks_own_prices_tells_the_window_too(desks):
    laptop, office = desks("Laptop"), desks("Office")
    laptop.engine.sync_once()
    office.engine.sync_once()
    set_prices(laptop, AT_15)
    set_prices(office, AT_20)
    laptop.engine.sync_once()
    office.engine.pull()  # the laptop's version arrives before the office's is answered
    before = office.engine.venue_pulled

    # The page that answers it holds no prices, only the office's refused version.
    office.engine.sync_once()

    (refused,) = office.desk.refusals.open()
    assert refused.what == "New deposits and packages for the venue"
    assert office.engine.venue_pulled == before + 1
