"""``backroom --self-test`` on the reception PC: one line per check, and an exit code."""

from __future__ import annotations

import threading

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app.cli import main
from tests.sync import memory_keyring


class UnansweredPrompt(KeyringBackend):
    """A password store that asks the user to unlock it, and nobody answers."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.answered = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.answered.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.answered.wait()

    def delete_password(self, service: str, username: str) -> None:
        self.answered.wait()


@pytest.fixture(autouse=True)
def own_keyring():
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def test_the_self_test_passes_every_check_on_a_computer_that_can_run_the_desk(capsys):
    memory_keyring.install()

    code = main(["--self-test"])

    out = capsys.readouterr().out
    assert code == 0, out
    for check in ("database", "booking", "audit", "floor plan", "keyring"):
        assert f"ok    {check}: " in out
    assert "written and read back" in out
    assert "chain intact, 1 event(s) verified" in out
    assert out.rstrip().endswith("Self-test passed.")


def test_a_computer_without_a_keyring_is_told_so_and_the_self_test_fails(capsys):
    keyring.set_keyring(fail.Keyring())

    code = main(["--self-test"])

    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  keyring: This computer has no secure password store" in out
    assert "ok    booking: " in out
    assert out.rstrip().endswith("Self-test FAILED: 1 check(s).")


def test_a_keyring_prompt_nobody_answers_is_named_instead_of_waited_on(capsys):
    from app.cli.self_test import self_test

    prompt = UnansweredPrompt()
    keyring.set_keyring(prompt)
    try:
        code = self_test(seconds=2)
    finally:
        prompt.answered.set()

    assert code == 1
    assert "FAIL  keyring: did not finish within 2 s" in capsys.readouterr().out
