"""`backroom staff …`: an admin manages staff from the command line with their PIN; PINs are
read from a prompt or standard input, never argv; anything refused changes nothing."""

from __future__ import annotations

import io

import pytest

from app.cli import main
from app.services.auth import SignInFailed
from tests.integration.conftest import counts


def staff(db_path, capsys, monkeypatch, *args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", str(db_path), "staff", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_staff_list_shows_everyone_with_their_role(desk, db_path, capsys, monkeypatch):
    code, out, _ = staff(db_path, capsys, monkeypatch, "list")

    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["alex", "jo", "sam"]
    assert "Jo Patel" in out and "admin" in out


def test_an_admin_adds_someone_who_signs_in_with_the_pin_read_from_stdin(
    desk, db_path, capsys, monkeypatch
):
    code, out, _ = staff(
        db_path,
        capsys,
        monkeypatch,
        "add",
        "priya",
        "--name",
        "Priya Shah",
        "--role",
        "reception",
        "--pin-stdin",
        stdin="3333\n4821\n",
    )

    assert code == 0 and "Added Priya Shah (priya) as reception" in out
    assert desk.auth.sign_in("priya", "4821").name == "Priya Shah"


def test_deactivate_then_reactivate_by_username(desk, db_path, capsys, monkeypatch):
    off = staff(db_path, capsys, monkeypatch, "deactivate", "Sam", "--pin-stdin", stdin="3333\n")
    with pytest.raises(SignInFailed):
        desk.auth.sign_in("sam", "1111")
    on = staff(db_path, capsys, monkeypatch, "reactivate", "sam", "--pin-stdin", stdin="3333\n")
    listed = staff(db_path, capsys, monkeypatch, "list", "--json")

    assert off[0] == 0 and "Sam Reid is deactivated" in off[1]
    assert on[0] == 0 and desk.auth.sign_in("sam", "1111").name == "Sam Reid"
    assert '"active": true' in listed[1]


def test_edit_and_reset_pin(desk, db_path, capsys, monkeypatch):
    edited = staff(
        db_path, capsys, monkeypatch, "edit", "sam", "--role", "manager", "--pin-stdin",
        stdin="3333\n",
    )  # fmt: skip
    reset = staff(
        db_path, capsys, monkeypatch, "reset-pin", "sam", "--pin-stdin", stdin="3333\n9876\n"
    )

    assert edited[0] == 0 and reset[0] == 0
    signed = desk.auth.sign_in("sam", "9876")
    assert signed.role.value == "manager"


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["add", "kim", "--name", "Kim", "--role", "admin"], "9999\n4821\n", "do not match"),
        (["add", "kim", "--name", "Kim", "--role", "admin", "--as", "sam"], "1111\n4821\n",
         "may not manage staff"),
        (["add", "kim", "--name", "Kim", "--role", "admin"], "3333\n48\n", "4 to 8 digits"),
        (["add", "sam", "--name", "Sam", "--role", "admin"], "3333\n4821\n", "already"),
        (["add", "k m", "--name", "Kim", "--role", "admin"], "3333\n4821\n", "not a username"),
        (["add", "kim", "--role", "admin"], "", "needs --name and --role"),
        (["deactivate", "jo"], "3333\n", "last active admin"),
        (["deactivate", "nobody"], "3333\n", "no member of staff 'nobody'"),
        (["edit", "sam"], "", "Say what to change"),
    ],
)  # fmt: skip
def test_bad_input_is_one_clear_line_a_nonzero_exit_and_nothing_written(
    desk, db_path, capsys, monkeypatch, args, stdin, words
):
    before = counts(db_path)

    code, out, err = staff(db_path, capsys, monkeypatch, *args, "--pin-stdin", stdin=stdin)

    assert code == 2 and out == ""
    assert words in err and len(err.strip().splitlines()) == 1
    assert counts(db_path) == before
