"""What the Stripe side tells the guest: the payment link once it exists, the deposit
paid, the booking released when the link expires unpaid. The real server on a loopback
socket, the Stripe fake's webhooks landing on it, the real PostgreSQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app import protocol as p
from app.domain.permissions import Role
from server.messages.models import OutboxMessage
from server.payments.models import DepositRequest
from tests.server.harness import Server
from tests.server.payments_harness import deposit_requests, request_link
from tests.server.test_deposit_expiry import (
    REASON,
    expired_events,
    pass_the_deadline,
    set_policy,
)

EMAIL = "grace@example.org"


def party_of_eight(desk) -> uuid.UUID:
    """£80.00 owed at tables 15 + 16 tonight, so pending; the guest gave an email."""
    create = desk.create(15, 16, party=8)
    create["args"]["customer"]["email"] = EMAIL
    assert desk.push_one(create)["outcome"] == "applied"
    return uuid.UUID(create["entity_id"])


def emails(server: Server, booking_id: uuid.UUID) -> list[OutboxMessage]:
    with server.app.state.sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.booking_id == booking_id, OutboxMessage.channel == "email")
                .order_by(OutboxMessage.created_at, OutboxMessage.template)
            )
        )


def templates(server: Server, booking_id: uuid.UUID) -> list[tuple[str, str]]:
    return [(m.template, m.status) for m in emails(server, booking_id)]


def test_a_booking_owing_a_deposit_is_first_told_by_its_payment_link(paying):
    desk = paying.desk()
    booking_id = party_of_eight(desk)
    assert templates(paying, booking_id) == [("reminder", "pending")]

    desk.push_one(request_link(desk, booking_id))

    [link] = deposit_requests(desk).values()
    [message] = [m for m in emails(paying, booking_id) if m.template == "deposit_requested"]
    assert message.recipient == EMAIL
    assert "£80.00" in message.body and link["url"] in message.body
    assert message.idempotency_key == f"{link['id']}:deposit_requested:email"
    # Queued after the push, by the link's writer: every desk sees it waiting to go.
    pulled = [c["data"] for c in desk.pull_all()[0] if c["entity"] == "message"]
    assert ("deposit_requested", "pending") in {(m["template"], m["status"]) for m in pulled}


def test_the_deposit_paid_through_the_link_says_paid_and_confirmed_once(paying, stripe_fake):
    desk = paying.desk()
    booking_id = party_of_eight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()

    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    events = [e["id"] for e in stripe_fake.pending()]
    delivered = stripe_fake.deliver(events) + stripe_fake.deliver(events)

    assert all(d["status"] == 200 for d in delivered), delivered
    told = [t for t, _ in templates(paying, booking_id)]
    assert told.count("deposit_paid") == 1
    assert told.count("booking_confirmed") == 1


def test_a_link_that_expires_unpaid_tells_the_guest_the_booking_is_cancelled(
    paying, stripe_fake, clock
):
    set_policy(paying, link_minutes=60)
    desk = paying.desk()
    booking_id = party_of_eight(desk)
    desk.push_one(request_link(desk, booking_id))
    pass_the_deadline(clock, stripe_fake)

    stripe_fake.deliver(expired_events(stripe_fake))

    rows = templates(paying, booking_id)
    assert ("booking_cancelled", "pending") in rows
    [mail] = [m for m in emails(paying, booking_id) if m.template == "booking_cancelled"]
    assert f"is cancelled.\n\n{REASON}\n\n" in mail.body
    # Nothing else about the booking is still to be sent: its reminder is cancelled.
    assert {s for t, s in rows if t == "reminder"} == {"cancelled"}


def resend(desk, booking_id: uuid.UUID, **kwargs):
    return desk.intent(p.IntentName.RESEND_DEPOSIT_LINK, booking_id, {}, **kwargs)


def link_messages(server: Server, booking_id: uuid.UUID) -> list[str]:
    return [
        m.idempotency_key for m in emails(server, booking_id) if m.template == "deposit_requested"
    ]


def test_a_manager_resends_the_live_link_and_a_replayed_push_sends_it_once(paying):
    desk = paying.desk(role=Role.MANAGER)
    booking_id = party_of_eight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()

    again = resend(desk, booking_id)
    first = desk.push_one(again)
    replayed = desk.push_one(again)

    assert first["outcome"] == replayed["outcome"] == "applied"
    assert link_messages(paying, booking_id) == [
        f"{link['id']}:deposit_requested:email",
        f"{again['mutation_id']}:deposit_requested:email",
    ]
    [message] = [
        m for m in emails(paying, booking_id) if m.idempotency_key.startswith(again["mutation_id"])
    ]
    assert link["url"] in message.body


def test_reception_may_not_resend_a_link(paying):
    desk = paying.desk()
    booking_id = party_of_eight(desk)
    desk.push_one(request_link(desk, booking_id))

    refused = desk.push_one(resend(desk, booking_id))

    assert refused["outcome"] == "rejected"
    assert "send a payment link to the guest again" in refused["reason"]
    assert len(link_messages(paying, booking_id)) == 1


def test_a_link_never_sent_paid_or_expired_is_not_resent_and_says_why(paying, stripe_fake, clock):
    set_policy(paying, link_minutes=60)
    desk = paying.desk(role=Role.MANAGER)
    never = party_of_eight(desk)
    paid = desk.create(12, party=8)
    paid["args"]["customer"]["email"] = EMAIL
    desk.push_one(paid)
    paid_id = uuid.UUID(paid["entity_id"])
    desk.push_one(request_link(desk, paid_id))
    desk.push_one(request_link(desk, never))
    links = {r["booking_id"]: r for r in deposit_requests(desk).values()}
    stripe_fake.pay(links[str(paid_id)]["url"].rsplit("/", 1)[-1])
    stripe_fake.deliver()
    unsent = desk.create(14, party=8)
    unsent["args"]["customer"]["email"] = EMAIL
    desk.push_one(unsent)
    pass_the_deadline(clock, stripe_fake, minutes=61)
    stripe_fake.deliver(expired_events(stripe_fake))

    reasons = {
        name: desk.push_one(resend(desk, booking))["reason"]
        for name, booking in (
            ("never", uuid.UUID(unsent["entity_id"])),
            ("paid", paid_id),
            ("expired", never),
        )
    }

    assert reasons["never"].startswith("No payment link was sent for booking")
    assert "already paid" in reasons["paid"]
    # The expiry released the booking (cancelled) as well as closing its link.
    assert reasons["expired"].endswith("is cancelled; no link is sent for it.")


def short_token(server: Server, request_id: str) -> str:
    with server.app.state.sessions() as session:
        token = session.scalar(
            select(DepositRequest.short_token).where(DepositRequest.id == uuid.UUID(request_id))
        )
    assert token is not None
    return token


def test_the_short_link_redirects_to_the_payment_page_while_it_can_be_paid(paying, stripe_fake):
    desk = paying.desk()
    booking_id = party_of_eight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    token = short_token(paying, link["id"])

    live = paying.client.get(f"/p/{token}", follow_redirects=False)
    stripe_fake.pay(link["url"].rsplit("/", 1)[-1])
    stripe_fake.deliver()
    paid = paying.client.get(f"/p/{token}", follow_redirects=False)
    unknown = paying.client.get("/p/AAAAAAAA", follow_redirects=False)

    assert len(token) == 8
    assert (live.status_code, live.headers["location"]) == (303, link["url"])
    assert paid.status_code == 410 and "already paid" in paid.text
    assert unknown.status_code == 404


def test_an_expired_short_link_says_so_with_a_410(paying, stripe_fake, clock):
    set_policy(paying, link_minutes=60)
    desk = paying.desk()
    booking_id = party_of_eight(desk)
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()
    pass_the_deadline(clock, stripe_fake)

    gone = paying.client.get(f"/p/{short_token(paying, link['id'])}", follow_redirects=False)

    assert gone.status_code == 410 and "expired" in gone.text


def test_the_sms_carries_the_short_link_only_when_it_fits(paying):
    desk = paying.desk()
    booking_id = party_of_eight(desk)  # the harness's guest has a mobile number
    desk.push_one(request_link(desk, booking_id))
    [link] = deposit_requests(desk).values()

    with paying.app.state.sessions() as session:
        [sms] = session.scalars(
            select(OutboxMessage.body).where(
                OutboxMessage.booking_id == booking_id,
                OutboxMessage.channel == "sms",
                OutboxMessage.template == "deposit_requested",
            )
        )
    short = f"{paying.client.base_url}/p/{short_token(paying, link['id'])}"
    # An SMS carries a link of up to 32 characters. This test server's address
    # (http://127.0.0.1:<port>) makes one of 33 on a five-digit port: the text then
    # points at the email instead.
    assert sms.endswith(short if len(short) <= 32 else "the link in our email")
    assert short.startswith(f"{paying.client.base_url}/p/") and len(short) >= 32
