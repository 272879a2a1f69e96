"""A new version of the venue's deposit policy, set on the server, reaches each desk: the
desk prices new bookings and party-size changes by it, and every booking priced before
keeps its amount and version (docs/payments.md, "Deposit policy")."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from app.cli import main
from app.domain.booking import DepositState
from app.domain.permissions import Role
from app.services.booking_create import NewBooking
from server.venues.policy import set_policy
from tests.sync.relay import cut
from tests.sync.world import EVENING, NOW, TABLE, VENUE_ID, SyncDesk, server_sql

# Wednesday is not a busy night: version 1 (The Backroom's plan file) asks £10 a head of 8+,
# version 2 £15 a head of 8+.
VERSION_2 = {
    "tiers": [{"min_party": 8, "pence": 1500}],
    "busy_weekdays": [4, 5],
    "busy_tiers": [{"min_party": 6, "pence": 1000}, {"min_party": 8, "pence": 1500}],
}


def book_eight(desk: SyncDesk, *tables: int) -> str:
    made = desk.desk.create.create_booking(
        desk.staff(Role.RECEPTION),
        NewBooking(
            name="Ada Lovelace",
            phone="0113 496 0123",
            party_size=8,
            start=EVENING,
            duration_minutes=120,
            table_ids=tuple(str(TABLE[n]) for n in tables),
        ),
    )
    return made.booking.id


def deposit(desk: SyncDesk, booking_id: str) -> tuple[int, int, str]:
    view = desk.desk.queries.booking(booking_id)
    assert view is not None
    b = view.booking
    return b.deposit_pence, b.deposit_policy_version, b.deposit_state.value


def new_version_on_the_server(server_app) -> None:
    with server_app.app.state.sessions() as session, session.begin():
        set_policy(session, VENUE_ID, VERSION_2, set_by="Owner", now=NOW)


def test_a_desk_prices_by_the_new_version_once_pulled_and_its_old_bookings_keep_theirs(
    desks, server_app, sync_db
):
    reception = desks("Reception")
    old = book_eight(reception, 12)
    reception.engine.sync_once()

    new_version_on_the_server(server_app)
    reception.engine.sync_once()
    new = book_eight(reception, 15, 16)
    reception.desk.edits.edit_details(reception.staff(Role.MANAGER), old, party_size=9)
    on_the_desk = deposit(reception, new), deposit(reception, old)
    reception.engine.sync_once()

    assert reception.desk.queries.venue().deposits.version == 2
    # The party that grew is re-priced by the version in force: 9 x £15.
    assert on_the_desk == ((12000, 2, "required"), (13500, 2, "required"))
    assert deposit(reception, new) == (12000, 2, DepositState.REQUIRED.value)
    assert deposit(reception, old) == (13500, 2, DepositState.REQUIRED.value)
    assert sorted(
        server_sql(sync_db, "SELECT deposit_pence, deposit_policy_version FROM bookings")
    ) == [(12000, 2), (13500, 2)]


def test_a_booking_priced_before_a_new_version_keeps_its_amount_on_every_desk(
    desks, server_app, sync_db
):
    reception, bar = desks("Reception"), desks("Bar")
    booking_id = book_eight(reception, 12)
    reception.engine.sync_once()

    new_version_on_the_server(server_app)
    reception.engine.sync_once()
    bar.engine.sync_once()

    assert bar.desk.queries.venue().deposits.version == 2
    assert deposit(reception, booking_id) == (8000, 1, "required")
    assert deposit(bar, booking_id) == (8000, 1, "required")
    assert server_sql(sync_db, "SELECT deposit_pence, deposit_policy_version FROM bookings") == [
        (8000, 1)
    ]


def test_a_booking_made_offline_under_the_old_version_is_priced_by_the_server_on_sync(
    desks, relay, server_app, sync_db
):
    reception = desks("Reception")
    reception.engine.sync_once()
    relay.fault = cut
    booking_id = book_eight(reception, 12)
    offline = deposit(reception, booking_id)

    new_version_on_the_server(server_app)
    relay.fault = None
    reception.engine.sync_once()

    assert offline == (8000, 1, "required")
    # The server is authoritative for money: the booking owes what version 2 asks.
    assert deposit(reception, booking_id) == (12000, 2, "required")
    assert server_sql(sync_db, "SELECT deposit_pence, deposit_policy_version FROM bookings") == [
        (12000, 2)
    ]


def test_backroom_deposits_policy_prints_the_version_this_desk_prices_by(desks, server_app):
    reception = desks("Reception")
    new_version_on_the_server(server_app)
    reception.engine.sync_once()
    reception.close()
    out = io.StringIO()

    with redirect_stdout(out):
        code = main(["--db", str(reception.path), "deposits", "policy"], clock=lambda: NOW)

    assert code == 0
    assert out.getvalue().splitlines()[:3] == [
        "Deposit policy version 2",
        "Friday, Saturday nights: parties of 6–7 pay £10.00 a head; "
        "parties of 8+ pay £15.00 a head",
        "Other nights: parties of 8+ pay £15.00 a head",
    ]
