"""A push checks its token with the desk's lock: every way a token can be wrong is
answered as on any other request, and nothing of the intent is written."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from app.domain.permissions import Role


def booked(server, booking_id: str) -> bool:
    with server.app.state.sessions() as session:
        found = session.execute(text("SELECT 1 FROM bookings WHERE id = :b"), {"b": booking_id})
        return found.first() is not None


def post(server, token: str, device_id: uuid.UUID, *mutations):
    return server.client.post(
        "/v1/sync/push",
        json={"device_id": str(device_id), "mutations": list(mutations)},
        headers=server.headers(token),
    )


def test_a_desk_revoked_after_it_pushed_is_refused_and_its_next_booking_is_not_made(server):
    desk = server.desk()
    assert desk.push_one(desk.create(7, party=4))["outcome"] == "applied"
    server.client.post(
        f"/v1/devices/{desk.device_id}/revoke", headers=server.headers(server.tokens[Role.ADMIN])
    )
    second = desk.create(8, party=4)

    answer = post(server, desk.token, desk.device_id, second)

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert not booked(server, second["entity_id"])


def test_a_desk_token_past_its_days_is_refused_on_push(server, clock):
    desk = server.desk()
    assert desk.push_one(desk.create(7, party=4))["outcome"] == "applied"
    clock.advance(days=366)
    second = desk.create(8, party=4)

    answer = post(server, desk.token, desk.device_id, second)

    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    assert not booked(server, second["entity_id"])


def test_one_desks_token_cannot_push_as_another_desk(server):
    mine, theirs = server.desk("Bar laptop"), server.desk("Reception PC")
    assert theirs.push_one(theirs.create(7, party=4))["outcome"] == "applied"
    forged = theirs.create(8, party=4)

    answer = post(server, mine.token, theirs.device_id, forged)

    assert answer.status_code == 403
    assert "names another desk" in answer.json()["detail"]
    assert not booked(server, forged["entity_id"])
    # Nothing was taken: the same intent from its own desk goes through.
    assert theirs.push_one(forged)["outcome"] == "applied"


def test_a_staff_token_cannot_push_intents(server):
    desk = server.desk()
    assert desk.push_one(desk.create(7, party=4))["outcome"] == "applied"
    intent = desk.create(8, party=4)

    answer = post(server, server.tokens[Role.MANAGER], desk.device_id, intent)

    assert answer.status_code == 403
    assert "registered desk" in answer.json()["detail"]
    assert not booked(server, intent["entity_id"])


def test_a_stranger_with_a_malformed_batch_hears_about_the_token_first(server):
    desk = server.desk()
    assert desk.push_one(desk.create(7, party=4))["outcome"] == "applied"
    stray = desk.create(8, party=4) | {"device_id": str(uuid.uuid4())}

    answer = post(server, "brd_not-a-token", desk.device_id, stray)

    assert answer.status_code == 401
    assert not booked(server, stray["entity_id"])


def test_a_desk_pushing_for_the_first_time_after_a_restart_is_recognised(server):
    desk = server.desk()
    first, second = desk.create(7, party=4), desk.create(8, party=4)

    answer = desk.push(first, second)

    assert [o["outcome"] for o in answer["outcomes"]] == ["applied", "applied"]
    assert booked(server, first["entity_id"]) and booked(server, second["entity_id"])
