# ruff: noqa: F811  (the CLI fixtures of test_cli_connect, taken as parameters)
"""`backroom guest data|erase`: an admin at a connected desk answers a guest's request,
through the real server over HTTP, and the desk forgets the guest at once."""

from __future__ import annotations

import json
import sqlite3

from tests.sync.test_cli_connect import backroom, connect, desk_db, server_url  # noqa: F401
from tests.sync.world import PASSWORD

AT = ("--at", "2026-11-25 20:00")  # the evening of the server's fixed clock
ADMIN = ("--user", "jo", "--password-stdin")


def booked_and_cancelled(backroom, server_url):
    assert connect(backroom, server_url, PASSWORD)[0] == 0
    code, said = backroom(
        "book", "--name", "Ada Lovelace", "--phone", "07911 123456", "--party", "4", *AT,
        "--occasion", "Her 30th", "--email", "ada@example.org",
    )  # fmt: skip
    assert code == 0, said
    reference = said.split()[0]
    assert backroom("booking", "cancel", reference, "--reason", "guest cancelled")[0] == 0
    assert backroom("sync")[0] == 0
    return reference


def test_an_admin_writes_a_guests_data_to_a_new_file_from_the_desk(
    backroom,
    server_url,
    tmp_path,
):
    reference = booked_and_cancelled(backroom, server_url)
    out = tmp_path / "ada.json"

    code, said = backroom(
        "guest", "data", "--reference", reference, *ADMIN, "--out", str(out), stdin=PASSWORD + "\n"
    )  # fmt: skip

    assert code == 0, said
    assert f"found by reference {reference}" in said
    data = json.loads(out.read_text())
    assert [c["name"] for c in data["tables"]["customers"]] == ["Ada Lovelace"]
    assert [b["occasion"] for b in data["tables"]["bookings"]] == ["Her 30th"]
    assert out.stat().st_mode & 0o777 == 0o600
    page = tmp_path / "ada.txt"
    assert "    Occasion: Her 30th" in page.read_text() and f"in words to {page}" in said
    assert page.stat().st_mode & 0o777 == 0o600


def test_an_admin_erases_a_guest_and_this_desk_forgets_her_at_once(
    backroom,
    server_url,
    desk_db,
):
    booked_and_cancelled(backroom, server_url)

    unsure = backroom("guest", "erase", "--phone", "07911 123456", *ADMIN, stdin=PASSWORD + "\n")
    code, said = backroom(
        "guest", "erase", "--phone", "07911 123456", *ADMIN, "--yes", stdin=PASSWORD + "\n"
    )

    assert unsure[0] == 2 and "cannot be undone; add --yes" in unsure[1]
    assert code == 0, said
    assert "Erased 1 guest record(s) found by phone +447911123456" in said
    assert "This desk has forgotten them" in said
    with sqlite3.connect(desk_db) as conn:
        text = "\n".join(conn.iterdump())
    for trace in ("Ada Lovelace", "7911123456", "ada@example.org", "Her 30th"):
        assert trace not in text, trace
    assert backroom("audit", "verify")[0] == 0


def test_a_manager_and_a_wrong_password_are_refused_and_nothing_changes(
    backroom,
    server_url,
):
    reference = booked_and_cancelled(backroom, server_url)
    erase = ("guest", "erase", "--reference", reference, "--yes", "--password-stdin")

    manager = backroom(*erase, "--user", "alex", stdin=PASSWORD + "\n")
    wrong = backroom(*erase, "--user", "jo", stdin="not it\n")
    still = backroom("bookings", "--json")

    assert manager[0] == 2 and "answer a guest's request for their data" in manager[1]
    assert wrong[0] == 2 and "password" in wrong[1].lower()
    assert "Nothing was changed." in manager[1] + wrong[1]
    assert "Ada Lovelace" in still[1]
