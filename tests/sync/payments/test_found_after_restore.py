"""A guest who paid their deposit through the link, on a night the server then lost to an
older backup: staff enter the booking again from the desk's kept copy, and the server's
own reconciliation timer finds the payment at Stripe; the desk shows it paid, and nobody
is asked to pay twice. (The desk that sent the booking is rebuilt, as
tests/sync/test_rebuild.py shows; the bar, which only pulled it, enters it again.) Real
desks on SQLite, the real server on a socket with payments set up against the Stripe
fake, PostgreSQL's own `pg_dump` and `pg_restore`."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from app.domain.booking import BookingStatus, DepositState
from app.domain.deposit_links import RequestStatus
from app.domain.permissions import Role
from app.services.deposit_links import copyable
from app.sync.status import SyncState
from tests.server.harness import FakeClock, Seed
from tests.server.payments_harness import paying_server
from tests.sync.server_restores import backup, marked_restored, restore
from tests.sync.test_deposits_at_the_bar import eight_tonight


@pytest.fixture
def paying_url(sync_db: str, server_clock: FakeClock, stripe_fake) -> Iterator[str]:
    """As the package's own, with the reconciliation's timer every fifth of a second."""
    seed = Seed(staff={}, tokens={})
    with paying_server(
        sync_db, server_clock, seed, stripe_fake, payments_reconcile_seconds=0.2
    ) as server:
        yield str(server.client.base_url)


def until_paid(desk, booking_id: str):
    """The desk syncs until it shows the deposit paid (the timer runs on its own)."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert desk.engine.sync_once().state is SyncState.UP_TO_DATE
        view = desk.desk.queries.booking(booking_id)
        if view is not None and view.booking.deposit_state is DepositState.PAID:
            return view
        time.sleep(0.1)
    raise AssertionError("the desk never showed the deposit paid")


def test_a_deposit_paid_before_the_server_lost_the_night_is_found_once_staff_enter_it_again(
    desks, relay, pg_server, sync_db, stripe_fake, tmp_path
):
    reception, bar = desks("Reception"), desks("Bar")
    manager = bar.staff(Role.MANAGER)
    reception.engine.sync_once()
    bar.engine.sync_once()
    kept = tmp_path / "server.dump"
    backup(pg_server, sync_db, kept)
    booking_id = eight_tonight(reception)
    reception.desk.links.request_link(reception.staff(Role.RECEPTION), booking_id)
    reception.engine.sync_once()
    view = reception.desk.queries.booking(booking_id)
    assert view is not None and view.link is not None
    url = copyable(view.link)
    stripe_fake.pay(url.rsplit("/", 1)[-1])
    assert all(d["status"] == 200 for d in stripe_fake.deliver())
    until_paid(reception, booking_id)
    paid_before = until_paid(bar, booking_id)
    restore(pg_server, sync_db, kept)
    marked_restored(sync_db)
    # The bar only pulled what the server lost: it takes the server's night again.
    assert bar.engine.sync_once().cure is not None
    bar.desk.repair.take_servers_night(manager)
    assert bar.engine.sync_once().state is SyncState.UP_TO_DATE
    [lost] = bar.desk.lost.lost().bookings

    bar.desk.lost.enter_again(manager, booking_id)
    found = until_paid(bar, booking_id)

    assert lost.booking_id == booking_id and "finds it at Stripe" in lost.caution
    assert paid_before.link is not None and found.link is not None
    assert found.booking.status is BookingStatus.CONFIRMED
    assert found.link.status is RequestStatus.PAID
    assert (found.link.url, paid_before.link.url) == (url, url)
    assert found.link.amount_pence == 8000
    assert stripe_fake.counts()["checkout.session"] == 1
