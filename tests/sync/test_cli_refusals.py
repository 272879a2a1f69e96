"""`backroom refusals`: list the server's refusals, retry one, discard one with --yes."""

from __future__ import annotations

import sqlite3

from app.cli import main
from tests.sync.test_refusals_put_right import kim_on_the_server, refused_night, server_bookings


def backroom(capsys, desk, *args: str) -> tuple[int, str]:
    code = main(["--db", str(desk.path), "refusals", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def outcome_rows(desk) -> list[tuple]:
    with sqlite3.connect(desk.path) as conn:
        return conn.execute("SELECT * FROM sync_outcome ORDER BY device_seq").fetchall()


def test_the_list_numbers_each_refusal_with_its_reason(desks, capsys):
    reception, _ = refused_night(desks)
    first = reception.desk.refusals.open()[0]

    code, said = backroom(capsys, reception)

    assert code == 0
    assert said.startswith("6 refused changes:")
    assert f"#{first.device_seq}  New booking for Guest 0, party of 2" in said
    assert "Reason: Staff member" in said


def test_retrying_by_number_queues_it_and_a_sync_applies_it(desks, capsys, http, sync_db):
    reception, made = refused_night(desks)
    kim_on_the_server(http)
    reception.engine.sync_once()
    first = reception.desk.refusals.open()[0]

    code, said = backroom(capsys, reception, "retry", str(first.device_seq), "--staff", "sam")
    reception.engine.sync_once()

    assert code == 0 and said.startswith("Sent again: New booking for Guest 0")
    assert server_bookings(sync_db)[made[0]] == ("confirmed", 1)
    assert backroom(capsys, reception)[1].startswith("5 refused changes:")


def test_discarding_needs_yes_and_a_bad_number_changes_nothing(desks, capsys):
    reception, made = refused_night(desks)
    first = reception.desk.refusals.open()[0]
    before = outcome_rows(reception)

    unconfirmed = backroom(capsys, reception, "discard", str(first.device_seq))
    unknown = backroom(capsys, reception, "discard", "999", "--yes")
    missing = backroom(capsys, reception, "retry")
    unchanged = outcome_rows(reception)
    done = backroom(capsys, reception, "discard", str(first.device_seq), "--yes")

    assert unconfirmed[0] == 2 and "Add --yes to discard it" in unconfirmed[1]
    assert unknown == (2, "error: There is no refused change #999 on this desk.\n")
    assert missing[0] == 2 and "Say which refusal to retry" in missing[1]
    assert unchanged == before
    assert done == (0, "Discarded: New booking for Guest 0, party of 2.\n")
    assert made[0] not in reception.bookings()
