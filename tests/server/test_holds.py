"""Short holds with fencing tokens: one live hold per table and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.server.harness import EVENING, TABLE


def hold(desk, *tables, start=EVENING, hours=2):
    return desk.server.client.post(
        "/v1/holds",
        json={
            "table_ids": [str(TABLE[t]) for t in tables],
            "start": start.isoformat(),
            "end": (start + timedelta(hours=hours)).isoformat(),
            "staff_id": str(desk.staff.id),
        },
        headers=desk.headers,
    )


def test_a_second_hold_on_the_same_table_and_time_is_refused_while_the_first_lives(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    first = hold(reception, 7)

    second = hold(bar, 7, start=EVENING + timedelta(minutes=30))

    assert first.status_code == 201
    assert second.status_code == 409
    assert "Reception is holding table 7" in second.json()["detail"]


def test_a_released_hold_frees_the_table_and_other_desks_see_live_holds(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    granted = hold(reception, 7).json()
    live = bar.pull()["holds"]

    released = server.client.post(f"/v1/holds/{granted['id']}/release", headers=reception.headers)
    after = hold(bar, 7)

    assert [h["staff_name"] for h in live] == [reception.staff.name]
    assert released.status_code == 204
    assert after.status_code == 201
    assert after.json()["fencing_token"] > granted["fencing_token"]


def test_a_booking_presenting_a_live_hold_token_is_applied(server):
    desk = server.desk()
    token = hold(desk, 7).json()["fencing_token"]

    outcome = desk.push_one(desk.create(7, party=4, fencing_token=token))

    assert outcome["outcome"] == "applied"


def test_an_expired_holds_token_is_refused_and_the_hold_cannot_be_renewed(server, clock):
    desk = server.desk()
    granted = hold(desk, 7).json()
    clock.advance(seconds=121)

    outcome = desk.push_one(desk.create(7, party=4, fencing_token=granted["fencing_token"]))
    renew = server.client.post(f"/v1/holds/{granted['id']}/renew", headers=desk.headers)

    assert outcome["outcome"] == "rejected"
    assert "stale" in outcome["reason"]
    assert desk.bookings() == {}
    assert renew.status_code == 410


def test_renewing_a_hold_keeps_it_alive_past_its_first_expiry(server, clock):
    desk, other = server.desk("Reception"), server.desk("Bar")
    granted = hold(desk, 7).json()
    clock.advance(seconds=100)
    renewed = server.client.post(f"/v1/holds/{granted['id']}/renew", headers=desk.headers)
    clock.advance(seconds=100)

    refused = hold(other, 7)

    assert renewed.status_code == 200
    assert renewed.json()["fencing_token"] == granted["fencing_token"]
    assert refused.status_code == 409


def test_a_hold_on_a_table_already_booked_at_that_time_is_refused(server):
    desk = server.desk()
    desk.push_one(desk.create(7, party=4))

    answer = hold(desk, 7, start=EVENING + timedelta(hours=1))

    assert answer.status_code == 409
    assert "already booked" in answer.json()["detail"]


def test_only_the_desk_that_took_a_hold_may_release_it(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    granted = hold(reception, 7).json()

    answer = server.client.post(f"/v1/holds/{granted['id']}/release", headers=bar.headers)

    assert answer.status_code == 403
    assert len(bar.pull()["holds"]) == 1


def test_a_refused_hold_says_the_holders_times_in_the_venues_time_not_utc(server):
    reception, bar = server.desk("Reception"), server.desk("Bar")
    summer = datetime(2027, 7, 10, 19, 0, tzinfo=UTC)  # 20:00 in Leeds (BST)
    hold(reception, 7, start=summer)

    second = hold(bar, 7, start=summer + timedelta(minutes=30))

    assert second.status_code == 409
    said = second.json()["detail"]
    assert "Reception is holding table 7 for 20:00–22:00 until " in said
    assert "UTC" not in said
