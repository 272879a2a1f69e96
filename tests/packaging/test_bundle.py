"""The PyInstaller bundle runs its self-test, and one built without its migrations fails it.

Slow (two builds of about 90 s each): it runs only with BACKROOM_BUILD_BUNDLE=1 and
PyInstaller installed (the ``packaging`` extra), e.g.
``BACKROOM_BUILD_BUNDLE=1 .venv-package/bin/python -m pytest tests/packaging/test_bundle.py``.
The keyring check is left out: a build machine may have no password store.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = "backroom.exe" if sys.platform == "win32" else "backroom"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("BACKROOM_BUILD_BUNDLE") != "1",
        reason="builds the PyInstaller bundle twice (~3 min): set BACKROOM_BUILD_BUNDLE=1",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="PyInstaller is not installed (pip install -e '.[packaging]')",
    ),
]


def build(base: Path, **env: str) -> Path:
    base.mkdir()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "build"),
         str(ROOT / "packaging" / "backroom.spec")],
        check=True, env={**os.environ, **env}, cwd=base, timeout=900,
    )  # fmt: skip
    return base / "dist" / "Backroom" / EXE


def self_test(exe: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    hidden = ("PYTHONPATH", "BACKROOM_DB", "BACKROOM_MIGRATIONS")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [str(exe), "--self-test"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_bundle_passes_its_self_test_but_for_this_machines_keyring(tmp_path):
    exe = build(tmp_path / "full")

    done = self_test(exe, tmp_path)

    for check in ("database", "booking", "audit", "floor plan"):
        assert f"ok    {check}: " in done.stdout, done.stdout + done.stderr
    assert "keyring: " in done.stdout


def test_a_bundle_without_its_migrations_fails_its_self_test(tmp_path):
    exe = build(tmp_path / "broken", BACKROOM_BUNDLE_WITHOUT_MIGRATIONS="1")

    done = self_test(exe, tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL  database: " in done.stdout
    assert "skip  booking, audit, floor plan" in done.stdout
