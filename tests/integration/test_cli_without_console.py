"""A desk started without a console (a windowed bundle, a shortcut) has no stdout or stderr:
``backroom`` gives them somewhere to go rather than crashing on its first ``print``."""

from __future__ import annotations

import sys

from app.cli import main


def test_a_command_run_without_stdout_or_stderr_still_does_its_work(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    db = tmp_path / "desk.sqlite3"

    code = main(["--db", str(db), "db", "upgrade", "--create"])

    assert code == 0
    assert db.exists()
