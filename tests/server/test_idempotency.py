"""A retried push never doubles a booking; a reused seq or id with another body is refused."""

from __future__ import annotations

import copy

from tests.server.harness import EVENING


def test_the_same_push_replayed_three_times_creates_one_booking(server):
    desk = server.desk()
    intent = desk.create(7, party=4)

    answers = [desk.push(intent) for _ in range(3)]

    assert answers[0]["outcomes"] == answers[1]["outcomes"] == answers[2]["outcomes"]
    assert answers[0]["outcomes"][0]["outcome"] == "applied"
    assert list(desk.bookings()) == [intent["entity_id"]]


def test_a_lost_response_is_recovered_by_retrying_and_by_pulling(server):
    desk = server.desk()
    first, second = desk.create(7, party=4), desk.create(8, party=2)
    # The server committed this push, but the answer never reached the desk.
    desk.push(first)

    retried = desk.push(first, second)
    pulled = desk.pull()

    assert [o["outcome"] for o in retried["outcomes"]] == ["applied", "applied"]
    assert {o["mutation_id"] for o in pulled["outcomes"]} == {
        first["mutation_id"],
        second["mutation_id"],
    }
    assert len(desk.bookings()) == 2


def test_the_same_mutation_id_with_a_different_body_is_refused(server):
    desk = server.desk()
    intent = desk.create(7, party=4)
    desk.push(intent)
    changed = copy.deepcopy(intent)
    changed["args"]["party_size"] = 3

    answer = desk.push(changed)

    assert answer["outcomes"] == []
    assert "different body" in answer["refused"]["reason"]
    assert desk.bookings()[intent["entity_id"]]["party_size"] == 4


def test_a_gap_in_device_seq_stops_the_batch_and_names_the_seq_expected(server):
    desk = server.desk()
    first = desk.create(7, party=4)
    desk.create(8)  # seq 2 is never sent
    third = desk.create(9, party=4, start=EVENING)

    answer = desk.push(first, third)

    assert [o["device_seq"] for o in answer["outcomes"]] == [1]
    assert answer["expected_seq"] == 2
    assert list(desk.bookings()) == [first["entity_id"]]


def test_a_replayed_push_answers_with_the_venues_version_now_not_the_one_it_was_judged_at(
    server,
):
    desk, other = server.desk(), server.desk()
    intent = desk.create(7, party=4)
    first = desk.push(intent)
    later = other.push(other.create(8, party=2))

    replayed = desk.push(intent)

    assert replayed["outcomes"] == first["outcomes"]
    assert replayed["server_version"] == later["server_version"] > first["server_version"]
