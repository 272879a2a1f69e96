"""Signing in, desk tokens, expiry, revocation and the failed sign-in limit."""

from __future__ import annotations

from sqlalchemy import text

from app.domain.permissions import Role
from tests.server.harness import PASSWORD, VENUE_ID


def login(server, username, password):
    return server.client.post(
        "/v1/auth/login",
        json={"venue_id": str(VENUE_ID), "username": username, "password": password},
    )


def test_a_wrong_password_gets_a_clear_refusal(server):
    answer = login(server, "reception", "not the password")

    assert answer.status_code == 401
    assert answer.json()["detail"] == "Wrong username or password."


def test_repeated_wrong_passwords_lock_the_name_even_for_the_right_password(server):
    for _ in range(5):
        login(server, "reception", "guess")

    answer = login(server, "reception", PASSWORD)

    assert answer.status_code == 429
    assert "Too many wrong passwords" in answer.json()["detail"]
    assert int(answer.headers["Retry-After"]) > 0


def test_the_lock_lifts_after_its_time(server, clock):
    for _ in range(5):
        login(server, "reception", "guess")
    clock.advance(minutes=16)

    answer = login(server, "reception", PASSWORD)

    assert answer.status_code == 200


def test_a_staff_token_expires_after_a_shift(server, clock):
    token = login(server, "manager", PASSWORD).json()["token"]
    clock.advance(hours=13)

    answer = server.client.get("/v1/staff", headers=server.headers(token))

    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]


def test_a_desk_token_has_256_random_bits_and_only_its_hash_is_stored(server):
    desk = server.desk()

    with server.app.state.sessions() as session:
        stored = session.execute(
            text("SELECT token_hash FROM tokens WHERE device_id = :d"), {"d": desk.device_id}
        ).scalar_one()
        anywhere = session.execute(
            text("SELECT count(*) FROM tokens WHERE token_hash = :t"), {"t": desk.token}
        ).scalar_one()

    assert len(desk.token) >= 4 + 43  # "brd_" + 32 random bytes in base64
    assert stored != desk.token and len(stored) == 64
    assert anywhere == 0


def test_a_revoked_desk_is_refused_at_once(server):
    desk = server.desk()
    server.client.post(
        f"/v1/devices/{desk.device_id}/revoke", headers=server.headers(server.tokens[Role.ADMIN])
    )

    answer = server.client.get("/v1/sync/changes", headers=desk.headers)

    assert answer.status_code == 401


def test_a_deactivated_staff_members_token_stops_working(server):
    info, token = server.add_staff(VENUE_ID, Role.MANAGER)
    server.client.post(
        f"/v1/staff/{info.id}/deactivate", headers=server.headers(server.tokens[Role.ADMIN])
    )

    answer = server.client.get("/v1/staff", headers=server.headers(token))

    assert answer.status_code == 401


def test_a_desk_registered_with_its_own_id_keeps_it(server):
    import uuid

    own = uuid.uuid4()

    answer = server.client.post(
        "/v1/devices",
        json={"name": "Laptop", "device_id": str(own)},
        headers=server.headers(server.tokens[Role.MANAGER]),
    )

    assert answer.status_code == 201
    assert answer.json()["device_id"] == str(own)


def register(server, device_id, role=Role.MANAGER):
    return server.client.post(
        "/v1/devices",
        json={"name": "Reception PC", "device_id": str(device_id)},
        headers=server.headers(server.tokens[role]),
    )


def test_a_desk_whose_token_never_arrived_is_registered_again_and_the_lost_token_stops(server):
    lost = server.desk()  # the server said yes; the desk never kept the token

    again = register(server, lost.device_id)

    assert again.status_code == 201, again.text
    fresh = again.json()["token"]
    assert server.client.get("/v1/sync/changes", headers=lost.headers).status_code == 401
    assert server.client.get("/v1/sync/changes", headers=server.headers(fresh)).status_code == 200


def test_a_revoked_desk_is_registered_again_and_goes_on_from_its_last_intent(server):
    desk = server.desk()
    assert desk.push_one(desk.create(7, party=4))["outcome"] == "applied"
    server.client.post(
        f"/v1/devices/{desk.device_id}/revoke", headers=server.headers(server.tokens[Role.ADMIN])
    )

    again = register(server, desk.device_id)
    desk.token = again.json()["token"]

    assert again.status_code == 201, again.text
    assert desk.push_one(desk.create(8, party=2))["outcome"] == "applied"


def test_a_desk_in_use_is_not_registered_again_without_being_revoked(server):
    desk = server.desk()
    desk.push_one(desk.create(7, party=4))

    again = register(server, desk.device_id)

    assert again.status_code == 409
    assert "has already synced; an admin must revoke" in again.json()["detail"]
    assert server.client.get("/v1/sync/changes", headers=desk.headers).status_code == 200
