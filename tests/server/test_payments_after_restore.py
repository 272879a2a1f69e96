"""Deposit links a restored server had lost, found again at Stripe: the guest who paid is
not asked again, and a link still open stays theirs. The real server on a loopback
socket, the Stripe fake (whose store a restore does not touch, as Stripe's is not), and
PostgreSQL's own `pg_dump` and `pg_restore` with `backroom-server restored`."""

from __future__ import annotations

import os
import subprocess
import uuid

from sqlalchemy import select

from server.messages.models import OutboxMessage
from server.payments.reconcile import reconcile
from tests.server.harness import Desk, Server
from tests.server.payments_harness import deposit_requests, ledger, request_link
from tests.server.test_cli import run_with
from tests.server.test_deposit_links import eight_tonight
from tests.server.test_payments_cli import reconcile as reconcile_command


def paid_through_a_link(
    desk: Desk, stripe_fake, booking_id: uuid.UUID, deposit: str = "paid"
) -> dict:
    """The guest is sent a link and pays it (or has it held on the card: ``deposit``
    "held"); the webhook lands. Returns the link."""
    assert desk.push_one(request_link(desk, booking_id))["outcome"] == "applied"
    [link] = deposit_requests(desk).values()
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    assert all(d["status"] == 200 for d in stripe_fake.deliver())
    assert desk.bookings()[str(booking_id)]["deposit_state"] == deposit
    return link


def told(server: Server, booking_id: uuid.UUID) -> list[str]:
    """The templates of every message queued to the guest, by any channel."""
    with server.app.state.sessions() as session:
        query = select(OutboxMessage.template).where(OutboxMessage.booking_id == booking_id)
        return list(session.scalars(query))


def entered_again(desk: Desk, booking_id: uuid.UUID, party: int = 8) -> None:
    """Staff enter the lost booking again with its id (Desk → Bookings the server lost…)."""
    again = desk.create(15, 16, party=party, booking_id=booking_id)
    assert desk.push_one(again)["outcome"] == "applied"
    assert desk.bookings()[str(booking_id)]["deposit_state"] == "required"


def a_payment_the_restore_lost(paying, stripe_fake, restores) -> tuple[Desk, uuid.UUID, dict]:
    """A booking made and paid through its link after the backup: the restored server
    has neither. Returns a new desk, the booking and the link."""
    desk = paying.desk()
    restores.take()
    booking_id = eight_tonight(desk)
    link = paid_through_a_link(desk, stripe_fake, booking_id)
    restores.put_back()
    return paying.desk("Door"), booking_id, link


def test_a_payment_the_restore_lost_is_found_at_stripe_once_the_booking_is_entered_again(
    paying, stripe_fake, restores
):
    door, booking_id, link = a_payment_the_restore_lost(paying, stripe_fake, restores)

    first = reconcile(paying.app.state.sessions, paying.app.state.payments)
    entered_again(door, booking_id)
    second = reconcile(paying.app.state.sessions, paying.app.state.payments)
    third = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (first.found, first.taken_back) == (1, 0)
    assert (second.found, second.taken_back) == (0, 1)
    assert (third.found, third.taken_back) == (0, 0)
    booking = door.bookings()[str(booking_id)]
    assert (booking["status"], booking["deposit_state"]) == ("confirmed", "paid")
    taken_back = deposit_requests(door)[link["id"]]
    assert (taken_back["status"], taken_back["url"]) == ("paid", link["url"])
    [entry] = ledger(door)
    assert (entry["kind"], entry["amount_pence"]) == ("stripe_payment", 8000)
    assert stripe_fake.counts()["checkout.session"] == 1
    # The guest was told when they paid; the restored server does not tell them again.
    assert "reminder" in told(paying, booking_id)  # the re-entered booking's own
    assert not {"deposit_paid", "booking_confirmed"} & set(told(paying, booking_id))


def stripe_env(stripe_fake) -> dict[str, str]:
    return {
        "BACKROOM_STRIPE_API_KEY": stripe_fake.api_key,
        "BACKROOM_STRIPE_API_BASE": stripe_fake.url,
    }


def found(url: str, stripe_fake) -> subprocess.CompletedProcess[str]:
    """``backroom-server payments found``, as a manager runs it."""
    env = {**os.environ, "BACKROOM_DATABASE_URL": url, **stripe_env(stripe_fake)}
    return run_with(env, "payments", "found")


def test_a_found_payment_whose_booking_nobody_entered_again_is_listed_until_it_is(
    paying, stripe_fake, restores, seeded_url
):
    door, booking_id, _ = a_payment_the_restore_lost(paying, stripe_fake, restores)

    reconciled = reconcile_command(seeded_url, **stripe_env(stripe_fake))
    listed = found(seeded_url, stripe_fake)
    entered_again(door, booking_id)
    # The booking is here: the next pass takes the payment back, nothing for a manager.
    after = found(seeded_url, stripe_fake)
    reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert reconciled.returncode == 0, reconciled.stderr
    assert "1 link(s) the database had lost found at Stripe, 0 taken back" in reconciled.stdout
    waits = "1 payment(s), claim(s) or refund(s) found at Stripe wait for their booking"
    assert waits in reconciled.stdout
    assert listed.returncode == 0, listed.stderr
    [line] = listed.stdout.splitlines()
    assert line.startswith(f"Booking {booking_id} at The Backroom: £80.00 paid through its link")
    assert "enter it again from a desk" in line and "refund the guest" in line
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == (
        "No payment found at Stripe after a restore waits for its booking."
    )
    assert door.bookings()[str(booking_id)]["deposit_state"] == "paid"


def test_a_found_link_still_open_for_a_booking_nobody_entered_again_says_to_expire_it_until_it_has(
    paying, stripe_fake, restores, seeded_url
):
    desk = paying.desk()
    restores.take()
    booking_id = eight_tonight(desk)
    assert desk.push_one(request_link(desk, booking_id))["outcome"] == "applied"
    restores.put_back()

    assert reconcile(paying.app.state.sessions, paying.app.state.payments).found == 1
    open_link = found(seeded_url, stripe_fake)
    stripe_fake.advance(25 * 3600)  # Stripe expires an unpaid session within a day
    expired = found(seeded_url, stripe_fake)

    assert open_link.returncode == 0, open_link.stderr
    assert (
        f"Booking {booking_id} at The Backroom: its £80.00 link is still open" in open_link.stdout
    )
    assert "or expire the link so nobody pays" in open_link.stdout
    assert expired.returncode == 0, expired.stderr
    assert "its £80.00 link expired unpaid: no money moved" in expired.stdout
    assert expired.stdout.rstrip().endswith("Nothing to do.")


def test_a_new_link_asked_for_a_booking_whose_guest_paid_before_the_restore_is_not_made(
    paying, stripe_fake, restores
):
    door, booking_id, paid = a_payment_the_restore_lost(paying, stripe_fake, restores)
    entered_again(door, booking_id)

    # No reconciliation has run: asking for the link makes the server ask Stripe first.
    asked = request_link(door, booking_id)
    assert door.push_one(asked)["outcome"] == "applied"

    links = deposit_requests(door)
    assert links[paid["id"]]["status"] == "paid"
    refused = links[str(asked["mutation_id"])]
    assert refused["status"] == "failed" and refused["url"] is None
    assert "before the server was restored (found at Stripe)" in refused["problem"]
    assert door.bookings()[str(booking_id)]["deposit_state"] == "paid"
    assert stripe_fake.counts()["checkout.session"] == 1
    assert "deposit_requested" not in told(paying, booking_id)


def test_a_found_payment_the_booking_no_longer_owes_is_kept_for_a_manager_to_refund(
    paying, stripe_fake, restores
):
    door, booking_id, link = a_payment_the_restore_lost(paying, stripe_fake, restores)
    entered_again(door, booking_id, party=10)  # £100.00 owed now, £80.00 paid then

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (done.found, done.taken_back) == (1, 1)
    taken_back = deposit_requests(door)[link["id"]]
    assert taken_back["status"] == "paid"
    assert "£80.00 was paid online" in taken_back["problem"]
    assert "A manager should refund the guest." in taken_back["problem"]
    [entry] = ledger(door)
    assert (entry["kind"], entry["amount_pence"]) == ("stripe_payment", 8000)
    # Still owed, and not as if a link were out: staff may send one for the £100.00.
    booking = door.bookings()[str(booking_id)]
    assert (booking["deposit_state"], booking["deposit_pence"]) == ("required", 10000)


def an_open_link_the_restore_lost(paying, restores) -> tuple[Desk, uuid.UUID, dict]:
    """A booking in the backup whose link was sent after it: the restored server has
    the booking (owing its deposit) and not the link. Returns a new desk, the booking and
    the link."""
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    restores.take()
    assert desk.push_one(request_link(desk, booking_id))["outcome"] == "applied"
    [link] = deposit_requests(desk).values()
    restores.put_back()
    door = paying.desk("Door")
    assert door.bookings()[str(booking_id)]["deposit_state"] == "required"
    return door, booking_id, link


def test_a_link_still_open_when_the_server_was_restored_stays_the_guests_and_settles_when_paid(
    paying, stripe_fake, restores
):
    door, booking_id, link = an_open_link_the_restore_lost(paying, restores)

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (done.found, done.taken_back) == (1, 1)
    assert door.bookings()[str(booking_id)]["deposit_state"] == "requested"
    assert deposit_requests(door)[link["id"]]["status"] == "open"
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    assert all(d["status"] == 200 for d in stripe_fake.deliver())
    assert door.bookings()[str(booking_id)]["deposit_state"] == "paid"
    assert deposit_requests(door)[link["id"]]["status"] == "paid"


def test_an_open_link_whose_booking_was_paid_at_the_bar_since_is_closed_at_stripe(
    paying, stripe_fake, restores
):
    from app import protocol as p

    door, booking_id, link = an_open_link_the_restore_lost(paying, restores)
    booking = door.bookings()[str(booking_id)]
    cash = {"entry_id": str(uuid.uuid4()), "amount_pence": 8000, "method": "cash"}
    paid_at_the_bar = door.intent(
        p.IntentName.RECORD_DEPOSIT_PAYMENT, booking_id, cash, base_version=booking["version"]
    )
    assert door.push_one(paid_at_the_bar)["outcome"] == "applied"

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (done.found, done.taken_back, done.closed) == (1, 0, 1)
    session = stripe_fake.client().v1.checkout.sessions.retrieve(link["url"].rsplit("/", 1)[-1])
    assert session.status == "expired"
    assert link["id"] not in deposit_requests(door)
    assert door.bookings()[str(booking_id)]["deposit_state"] == "paid"
