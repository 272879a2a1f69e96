"""Bad input gets a 4xx with a reason, never a 500, and nothing is written."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from app import protocol as p
from tests.server.harness import PLAN, TABLE, other_venue_plan

TABLE_AREA = next(t["area_id"] for t in PLAN["tables"] if t["number"] == 7)


def counts(server):
    with server.app.state.sessions() as session:
        return {
            table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("bookings", "customers", "intent_outcomes", "audit_events", "holds")
        }


def push_raw(desk, content, **headers):
    return desk.server.client.post(
        "/v1/sync/push",
        content=content,
        headers={**desk.headers, "Content-Type": "application/json", **headers},
    )


@pytest.fixture
def desk(server):
    return server.desk()


def mangle(intent, **args):
    return {**intent, "args": {**intent["args"], **args}}


CASES = {
    "malformed JSON": lambda d: b'{"device_id": ',
    "wrong type": lambda d: json.dumps(
        {"device_id": str(d.device_id), "mutations": "create a booking"}
    ),
    "unknown field": lambda d: json.dumps(
        {"device_id": str(d.device_id), "mutations": [{**d.create(7), "sneaky": True}]}
    ),
    "party of 10,000": lambda d: json.dumps(
        {"device_id": str(d.device_id), "mutations": [mangle(d.create(7), party_size=10_000)]}
    ),
    "a time in 1970": lambda d: json.dumps(
        {
            "device_id": str(d.device_id),
            "mutations": [
                mangle(d.create(7), start=datetime(1970, 1, 1, 20, tzinfo=UTC).isoformat())
            ],
        }
    ),
    "naive time": lambda d: json.dumps(
        {
            "device_id": str(d.device_id),
            "mutations": [mangle(d.create(7), start="2027-03-02T19:00:00")],
        }
    ),
    "a package that is not an id": lambda d: json.dumps(
        {
            "device_id": str(d.device_id),
            "mutations": [mangle(d.create(7), package_id="Prosecco; DROP TABLE")],
        }
    ),
    "unknown intent": lambda d: json.dumps(
        {"device_id": str(d.device_id), "mutations": [{**d.create(7), "name": "drop_tables"}]}
    ),
    "another desk's id": lambda d: json.dumps({"device_id": str(uuid.uuid4()), "mutations": []}),
    # A number JSON cannot carry would be served back as null, which no desk can read.
    "a table at NaN": lambda d: push_body(d, move_table(d, x=float("nan"))),
    "a table at infinity": lambda d: push_body(d, move_table(d, y=float("inf"))),
    "a table at 1e309": lambda d: push_body(d, move_table(d, x=10.0**308 * 10)),
    "a table far off the plan": lambda d: push_body(d, move_table(d, x=1e12)),
    "a device time in year 1": lambda d: push_body(
        d, {**d.create(7), "device_time": "0001-01-01T00:00:00+00:00"}
    ),
    "a device time in 9999": lambda d: push_body(
        d, {**d.create(7), "device_time": "9999-12-31T23:59:59+00:00"}
    ),
    "a previous nested 600 deep": lambda d: push_body(
        d, {**d.create(7), "previous": {"notes": nested(600)}}
    ),
    "a lone surrogate in the notes": lambda d: push_body(d, mangle(d.create(7), notes="\ud800")),
}


def push_body(desk, *mutations) -> str:
    return json.dumps({"device_id": str(desk.device_id), "mutations": list(mutations)})


def move_table(desk, **place) -> dict:
    args = {
        "number": 7,
        "area_id": TABLE_AREA,
        "min_covers": 2,
        "max_covers": 4,
        "x": 100.0,
        "y": 100.0,
        "width": 60.0,
        "height": 60.0,
    }
    body = desk.intent(p.IntentName.UPDATE_TABLE, TABLE[7], args)
    return {**body, "args": {**body["args"], **place}}


def nested(depth: int) -> object:
    value: object = "seen"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_push_is_refused_with_a_reason_and_writes_nothing(server, desk, case):
    before = counts(server)

    answer = push_raw(desk, CASES[case](desk))

    assert 400 <= answer.status_code < 500, answer.text
    assert answer.json()["detail"]
    assert counts(server) == before


def test_a_ten_megabyte_body_is_refused_before_it_is_read(server, desk):
    before = counts(server)

    answer = push_raw(desk, b"[" + b" " * (10 * 1024 * 1024) + b"]")

    assert answer.status_code == 413
    assert "larger than this server accepts" in answer.json()["detail"]
    assert counts(server) == before


def test_a_chunked_body_past_the_limit_is_refused_in_json_and_writes_nothing(server, desk):
    before = counts(server)

    def chunks():
        yield b"["
        for _ in range(10):
            yield b" " * (1024 * 1024)
        yield b"]"

    answer = push_raw(desk, chunks())

    assert answer.status_code == 413
    assert "larger than this server accepts" in answer.json()["detail"]
    assert counts(server) == before


def test_a_booking_on_an_unknown_table_is_rejected_with_the_reason(server, desk):
    intent = desk.create(7)
    intent["args"]["table_ids"] = [str(uuid.uuid4())]

    outcome = desk.push_one(intent)

    assert outcome["outcome"] == "rejected"
    assert "There is no table" in outcome["reason"]
    assert counts(server)["bookings"] == 0


def test_a_desk_of_another_venue_cannot_book_this_venues_tables(server, desk):
    other_venue = server.add_venue(other_venue_plan())
    from app.domain.permissions import Role

    _, admin = server.add_staff(other_venue, Role.ADMIN)
    stranger = server.desk("Elsewhere", token=admin)
    stranger.staff = server.add_staff(other_venue, Role.RECEPTION, login=False)[0]

    outcome = stranger.push_one(stranger.create(7))

    assert outcome["outcome"] == "rejected"
    assert str(TABLE[7]) in outcome["reason"]
    assert counts(server)["bookings"] == 0


def test_an_unknown_hold_or_conflict_is_a_404_not_a_500(server, desk):
    renew = server.client.post(f"/v1/holds/{uuid.uuid4()}/renew", headers=desk.headers)
    conflict = server.client.get(f"/v1/conflicts/{uuid.uuid4()}", headers=desk.headers)
    not_a_uuid = server.client.get("/v1/conflicts/banana", headers=desk.headers)

    assert (renew.status_code, conflict.status_code, not_a_uuid.status_code) == (404, 404, 422)


def test_a_desk_below_the_supported_schema_gets_426_and_keeps_its_intent(server, desk):
    intent = {**desk.create(7), "schema_version": 0}

    answer = desk.push(intent, expect=426)

    assert "Update the desk" in answer["detail"]
    assert counts(server)["intent_outcomes"] == 0


def test_a_desk_newer_than_the_server_is_refused_clearly(server, desk):
    intent = {**desk.create(7), "schema_version": p.SCHEMA_VERSION + 1}

    answer = desk.push(intent, expect=400)

    assert "server must be updated" in answer["detail"]


def test_an_old_protocol_header_gets_426_on_pull(server, desk):
    answer = server.client.get(
        "/v1/sync/changes", headers={**desk.headers, "X-Backroom-Protocol": "0"}
    )

    assert answer.status_code == 426


def test_a_pull_naming_a_lineage_that_is_not_an_id_is_refused_with_the_reason(server, desk):
    answer = server.client.get(
        "/v1/sync/changes", params={"after": 3, "lineage": "yesterday"}, headers=desk.headers
    )

    assert answer.status_code == 422
    assert "lineage" in answer.text
