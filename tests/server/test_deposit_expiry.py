"""A payment link that expires unpaid releases its booking's tables: the real server on a
loopback socket, the real stripe SDK against the Stripe fake (a process of its own),
whose webhooks land on the server. The links here live an hour (the venue's policy),
so the deadline is 16:00 on the Tuesday afternoon the server's clock is fixed at.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from app import protocol as p
from app.domain.audit import SERVER
from server.audit_log import verify_server_chain
from server.payments.reconcile import reconcile
from tests.server.harness import VENUE_ID, FakeClock, Server
from tests.server.payments_harness import deposit_requests, request_link
from tests.server.test_deposit_links import eight_tonight

REASON = "Deposit not paid: the payment link expired at 16:00 (Europe/London)."


def set_policy(server: Server, **policy: int) -> None:
    """The venue's deposit policy, as an administrator would store it."""
    with server.app.state.sessions() as session, session.begin():
        for name, value in policy.items():
            session.execute(
                text(
                    "UPDATE venues SET settings = jsonb_set(settings, "
                    "CAST(:path AS text[]), CAST(:value AS jsonb)) WHERE id = :venue"
                ),
                {"path": f"{{deposit_policy,{name}}}", "value": str(value), "venue": VENUE_ID},
            )


def hour_long_link(paying: Server, **policy: int) -> tuple[Any, uuid.UUID, dict[str, Any]]:
    """A party of 8 at tables 15 + 16 tonight, sent a link open until 16:00."""
    set_policy(paying, link_minutes=60, **policy)
    desk = paying.desk()
    booking_id = eight_tonight(desk)
    assert desk.push_one(request_link(desk, booking_id))["outcome"] == "applied"
    [link] = deposit_requests(desk).values()
    assert link["status"] == "open"
    return desk, booking_id, link


def pass_the_deadline(clock: FakeClock, stripe_fake, minutes: int = 61) -> None:
    """Both clocks move past the deadline: Stripe expires the session and says so."""
    clock.advance(minutes=minutes)
    stripe_fake.set_now(int(clock.now().timestamp()))


def expired_events(stripe_fake) -> list[str]:
    return [e["id"] for e in stripe_fake.pending() if e["type"] == "checkout.session.expired"]


def booking(desk, booking_id: uuid.UUID) -> dict[str, Any]:
    return desk.bookings()[str(booking_id)]


def tables_held(paying: Server, booking_id: uuid.UUID) -> int:
    with paying.app.state.sessions() as session:
        return int(
            session.execute(
                text("SELECT count(*) FROM booking_tables WHERE booking_id = :b"),
                {"b": booking_id},
            ).scalar_one()
        )


def server_audit(paying: Server) -> list[dict[str, Any]]:
    with paying.app.state.sessions() as session:
        rows = session.execute(
            text(
                "SELECT staff_id, staff_name, action, entity_id, before, after FROM audit_events "
                "WHERE device_id IS NULL ORDER BY seq"
            )
        )
        return [dict(r._mapping) for r in rows]


def session_status(stripe_fake, link: dict[str, Any]) -> str:
    session_id = link["url"].rsplit("/", 1)[-1]
    return str(stripe_fake.client().v1.checkout.sessions.retrieve(session_id).status)


def test_a_link_that_expires_unpaid_cancels_the_booking_with_the_reason_and_frees_its_tables(
    paying, stripe_fake, clock
):
    desk, booking_id, _ = hour_long_link(paying)
    pass_the_deadline(clock, stripe_fake)

    answers = stripe_fake.deliver(expired_events(stripe_fake))

    assert [a["status"] for a in answers] == [200]
    after = booking(desk, booking_id)
    assert (after["status"], after["deposit_state"]) == ("cancelled", "required")
    [link] = deposit_requests(desk).values()
    assert link["status"] == "expired" and link["released_at"] is not None
    assert tables_held(paying, booking_id) == 0
    [event] = server_audit(paying)
    assert (str(event["staff_id"]), event["staff_name"]) == (SERVER.id, SERVER.name)
    assert event["entity_id"] == booking_id
    assert (event["before"]["status"], event["after"]["status"]) == ("pending", "cancelled")
    assert event["after"]["reason"] == REASON
    # The tables are free for someone else at that time.
    other = desk.create(15, 16, party=8)
    assert desk.push_one(other)["outcome"] == "applied"


def test_the_expiry_delivered_again_and_reconciled_cancels_once_with_one_audit_row(
    paying, stripe_fake, clock
):
    desk, booking_id, _ = hour_long_link(paying)
    pass_the_deadline(clock, stripe_fake)
    [expired] = expired_events(stripe_fake)
    stripe_fake.deliver([expired])
    version = booking(desk, booking_id)["version"]

    again = stripe_fake.deliver([expired, expired])
    clock.advance(minutes=5)
    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert [a["status"] for a in again] == [200, 200]
    assert (done.asked, done.changed, done.released) == (0, 0, 0)
    assert booking(desk, booking_id)["version"] == version
    assert len(server_audit(paying)) == 1


def test_a_deadline_passed_with_no_webhook_is_found_by_the_reconciliation(
    paying, stripe_fake, clock
):
    desk, booking_id, link = hour_long_link(paying)
    pass_the_deadline(clock, stripe_fake)
    stripe_fake.drop()

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (done.asked, done.changed, done.released) == (1, 1, 1)
    assert booking(desk, booking_id)["status"] == "cancelled"
    assert session_status(stripe_fake, link) == "expired"


def test_a_link_stripe_has_not_expired_yet_is_closed_before_the_booking_is_released(
    paying, stripe_fake, clock
):
    desk, booking_id, link = hour_long_link(paying)
    # Only the server's clock passes the deadline: Stripe still shows the link open.
    clock.advance(minutes=61)
    assert session_status(stripe_fake, link) == "open"

    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert done.released == 1
    assert session_status(stripe_fake, link) == "expired"
    assert booking(desk, booking_id)["status"] == "cancelled"


def test_a_deposit_paid_at_the_bar_is_not_cancelled_and_its_open_link_is_expired_at_stripe(
    paying, stripe_fake, clock
):
    desk, booking_id, link = hour_long_link(paying)
    cash = {"entry_id": str(uuid.uuid4()), "amount_pence": 8000, "method": "cash"}
    paid = desk.push_one(desk.intent(p.IntentName.RECORD_DEPOSIT_PAYMENT, booking_id, cash))

    closed = reconcile(paying.app.state.sessions, paying.app.state.payments)
    pass_the_deadline(clock, stripe_fake)
    late = stripe_fake.deliver()
    again = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert paid["outcome"] == "applied"
    assert (closed.closed, closed.released, again.released) == (1, 0, 0)
    assert session_status(stripe_fake, link) == "expired"
    assert {a["status"] for a in late} <= {200}
    after = booking(desk, booking_id)
    assert (after["status"], after["deposit_state"]) == ("confirmed", "paid")
    assert tables_held(paying, booking_id) == 2
    assert server_audit(paying) == []


def test_a_waived_deposit_is_not_cancelled_when_its_link_expires(paying, stripe_fake, clock):
    from app.domain.permissions import Role

    desk, booking_id, _ = hour_long_link(paying)
    manager = paying.desk(role=Role.MANAGER)
    waiver = {"entry_id": str(uuid.uuid4()), "reason": "regulars"}
    seen = booking(desk, booking_id)["version"]
    waived = manager.push_one(
        manager.intent(p.IntentName.WAIVE_DEPOSIT, booking_id, waiver, base_version=seen)
    )

    pass_the_deadline(clock, stripe_fake)
    stripe_fake.deliver()
    reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert waived["outcome"] == "applied"
    after = booking(desk, booking_id)
    assert (after["status"], after["deposit_state"]) == ("confirmed", "waived")
    assert server_audit(paying) == []


def test_a_forged_or_stale_expiry_changes_nothing(paying, stripe_fake, clock):
    desk, booking_id, _ = hour_long_link(paying)
    pass_the_deadline(clock, stripe_fake)
    events = expired_events(stripe_fake)

    forged = stripe_fake.deliver(events, secret="whsec_not_the_venues")
    stale = stripe_fake.deliver(events, signed_at=int(clock.now().timestamp()) - 301)

    assert {a["status"] for a in forged + stale} == {400}
    after = booking(desk, booking_id)
    assert (after["status"], after["deposit_state"]) == ("pending", "requested")
    assert tables_held(paying, booking_id) == 2
    assert server_audit(paying) == []


def test_with_a_grace_period_the_tables_are_released_only_when_it_is_over(
    paying, stripe_fake, clock
):
    desk, booking_id, _ = hour_long_link(paying, expiry_grace_minutes=30)
    pass_the_deadline(clock, stripe_fake)
    stripe_fake.deliver(expired_events(stripe_fake))
    during = booking(desk, booking_id)

    clock.advance(minutes=20)
    still = reconcile(paying.app.state.sessions, paying.app.state.payments)
    clock.advance(minutes=10)
    over = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert (during["status"], during["deposit_state"]) == ("pending", "required")
    assert (still.released, over.released) == (0, 1)
    assert booking(desk, booking_id)["status"] == "cancelled"
    [event] = server_audit(paying)
    assert event["after"]["reason"] == REASON


def test_a_link_replaced_by_a_new_one_cancels_nothing_when_its_grace_period_ends(
    paying, stripe_fake, clock
):
    desk, booking_id, _ = hour_long_link(paying, expiry_grace_minutes=30)
    pass_the_deadline(clock, stripe_fake)
    stripe_fake.deliver(expired_events(stripe_fake))
    seen = booking(desk, booking_id)["version"]
    resent = desk.push_one(request_link(desk, booking_id, base_version=seen))

    clock.advance(minutes=31)
    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert resent["outcome"] == "applied"
    assert done.released == 0
    after = booking(desk, booking_id)
    assert (after["status"], after["deposit_state"]) == ("pending", "requested")
    assert server_audit(paying) == []


def test_the_servers_audit_events_form_one_chain_that_verifies(paying, stripe_fake, clock):
    desk, first, _ = hour_long_link(paying)
    later = desk.create(15, 16, party=8, start=clock.now().replace(hour=22))
    assert desk.push_one(later)["outcome"] == "applied"
    second = uuid.UUID(later["entity_id"])
    desk.push_one(request_link(desk, second))
    pass_the_deadline(clock, stripe_fake)
    stripe_fake.drop()

    reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert [booking(desk, b)["status"] for b in (first, second)] == ["cancelled", "cancelled"]
    with paying.app.state.sessions() as session:
        assert verify_server_chain(session, VENUE_ID) is None
    assert [e["entity_id"] for e in server_audit(paying)] == [first, second]


def test_a_link_that_runs_out_after_the_partys_time_is_over_cancels_nothing(
    paying, stripe_fake, clock
):
    desk = paying.desk()
    booking_id = eight_tonight(desk)  # 19:00–21:00, sent a link open for a day
    desk.push_one(request_link(desk, booking_id))
    pass_the_deadline(clock, stripe_fake, minutes=24 * 60 + 1)

    answers = stripe_fake.deliver(expired_events(stripe_fake))
    done = reconcile(paying.app.state.sessions, paying.app.state.payments)

    assert [a["status"] for a in answers] == [200]
    assert done.released == 0
    after = booking(desk, booking_id)
    assert (after["status"], after["deposit_state"]) == ("pending", "required")
    assert server_audit(paying) == []
