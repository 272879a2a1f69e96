"""A desk's waitlist offer, held on the server, is told to the guest once: the hold says
until when the guest may answer, and its message names the time and that deadline."""

from __future__ import annotations

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.messages.models import OutboxMessage
from tests.server.harness import EVENING, TABLE

GUEST = "+447700900123"  # the harness's guest (Desk.create)


def offer(desk, booking_id, *tables, until, start=EVENING):
    return desk.server.client.post(
        "/v1/holds",
        json={
            "table_ids": [str(TABLE[t]) for t in tables],
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "staff_id": str(desk.staff.id),
            "booking_id": str(booking_id),
            "offer_until": until.isoformat(),
        },
        headers=desk.headers,
    )


def waitlisted(desk) -> uuid.UUID:
    booking = uuid.uuid4()
    made = desk.push_one(desk.create(booking_id=booking, status="waitlisted", party=2))
    assert made["outcome"] == "applied", made
    return booking


def queued(server, booking_id) -> list[OutboxMessage]:
    """The offer's messages queued for the booking (its confirmation and reminders aside)."""
    with server.app.state.sessions() as session:
        mine = select(OutboxMessage).where(
            OutboxMessage.booking_id == booking_id, OutboxMessage.template == "offer_made"
        )
        return list(session.scalars(mine.order_by(OutboxMessage.channel)))


def test_an_offer_held_on_the_server_texts_the_guest_the_table_and_when_to_answer_by(server, clock):
    desk = server.desk()
    booking = waitlisted(desk)
    until = clock.now() + timedelta(minutes=10)

    answer = offer(desk, booking, 7, until=until)
    messages = queued(server, booking)

    assert answer.status_code == 201, answer.text
    assert [(m.channel, m.template, m.recipient) for m in messages] == [
        ("sms", "offer_made", GUEST)
    ]
    local = until.astimezone(ZoneInfo("Europe/London"))
    assert f"Reply 1 by {local:%H:%M} to take it or 9 to pass." in messages[0].body


def test_taking_the_offer_s_hold_again_tells_the_guest_nothing_new(server, clock):
    desk = server.desk()
    booking = waitlisted(desk)
    until = clock.now() + timedelta(minutes=10)
    first = offer(desk, booking, 7, until=until).json()
    server.client.post(f"/v1/holds/{first['id']}/release", headers=desk.headers)

    again = offer(desk, booking, 7, until=until)

    assert again.status_code == 201
    assert len(queued(server, booking)) == 1


def test_an_offer_to_a_booking_not_on_the_waitlist_holds_the_table_but_texts_nobody(server, clock):
    desk, other = server.desk("Reception"), server.desk("Bar")
    booking = uuid.uuid4()
    desk.push_one(desk.create(3, booking_id=booking, status="confirmed"))

    held = offer(desk, booking, 7, until=clock.now() + timedelta(minutes=10))
    renewed = server.client.post(f"/v1/holds/{held.json()['id']}/renew", headers=desk.headers)
    steered = hold_for(other, 7)

    assert (held.status_code, renewed.status_code) == (201, 200)
    assert queued(server, booking) == []
    assert steered.status_code == 409


def test_an_offer_held_before_its_booking_reached_the_server_texts_at_the_next_renewal(
    server, clock
):
    desk = server.desk()
    booking = uuid.uuid4()
    held = offer(desk, booking, 7, until=clock.now() + timedelta(minutes=10))
    before = queued(server, booking)
    desk.push_one(desk.create(booking_id=booking, status="waitlisted", party=2))

    server.client.post(f"/v1/holds/{held.json()['id']}/renew", headers=desk.headers)
    server.client.post(f"/v1/holds/{held.json()['id']}/renew", headers=desk.headers)

    assert held.status_code == 201
    assert before == []
    assert [m.template for m in queued(server, booking)] == ["offer_made"]


def hold_for(desk, *tables):
    return desk.server.client.post(
        "/v1/holds",
        json={
            "table_ids": [str(TABLE[t]) for t in tables],
            "start": EVENING.isoformat(),
            "end": (EVENING + timedelta(hours=2)).isoformat(),
        },
        headers=desk.headers,
    )


def test_an_offer_that_already_ended_or_names_no_booking_is_refused(server, clock):
    desk = server.desk()
    booking = waitlisted(desk)

    ended = offer(desk, booking, 7, until=clock.now() - timedelta(seconds=1))
    nameless = server.client.post(
        "/v1/holds",
        json={
            "table_ids": [str(TABLE[7])],
            "start": EVENING.isoformat(),
            "end": (EVENING + timedelta(hours=2)).isoformat(),
            "offer_until": (clock.now() + timedelta(minutes=10)).isoformat(),
        },
        headers=desk.headers,
    )

    assert ended.status_code == 409
    assert "already ended" in ended.json()["detail"]
    assert nameless.status_code == 422
    assert queued(server, booking) == []


def test_a_guest_another_desk_is_offering_a_table_cannot_be_offered_a_second(server, clock):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    booking = waitlisted(reception)
    until = clock.now() + timedelta(minutes=10)
    assert offer(reception, booking, 7, until=until).status_code == 201

    second = offer(bar, booking, 8, until=until)
    mine_again = offer(reception, booking, 6, until=until)

    local = until.astimezone(ZoneInfo("Europe/London"))
    assert second.status_code == 409
    assert second.json()["detail"] == (
        f"Reception is offering this guest a table until {local:%H:%M}; "
        "a guest is offered one at a time."
    )
    assert mine_again.status_code == 201  # the desk's own machine moves its offer itself
    assert len(queued(server, booking)) == 2
