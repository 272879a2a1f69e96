"""The wheel carries what an installed Backroom needs at run time: its migrations and its
demo venue. Built from a copy of the sources and installed into a new virtual environment
outside the checkout; the dependencies are borrowed from this test's environment (a .pth
line, so its editable install of Backroom is not), the project itself comes from the wheel.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from app.models.migrate import alembic_config
from server.migrate import alembic_config as central_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["pyproject.toml", "README.md", "app", "server", "resources", "migrations"]


@dataclass(frozen=True)
class Installed:
    env: Path
    cwd: Path

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=self.cwd, env=outside(), capture_output=True, text=True, timeout=120
        )

    def python(self, code: str) -> str:
        done = self.run(str(self.env / "bin" / "python"), "-c", code)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def backroom(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.env / "bin" / "backroom"), *args)


def outside() -> dict[str, str]:
    """This environment without what would make the checkout importable or choose a desk."""
    hidden = ("PYTHONPATH", "BACKROOM_DB", "BACKROOM_MIGRATIONS")
    return {k: v for k, v in os.environ.items() if k not in hidden}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    # A copy, so a stale build/ in the checkout cannot slip a deleted file into the wheel.
    source = base / "source"
    source.mkdir()
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", base / "dist", source],
        check=True,
        env=outside(),
        cwd=base,
    )
    (wheel,) = (base / "dist").glob("backroom-*.whl")

    env = base / "venv"
    venv.create(env, with_pip=False)
    site = Path(
        subprocess.check_output(
            [
                env / "bin" / "python",
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            text=True,
        ).strip()
    )
    subprocess.run(
        [*pip, "--python", env / "bin" / "python", "install", "--no-deps", wheel],
        check=True,
        env=outside(),
    )
    # Only after the install: pip would take the borrowed editable Backroom as installed.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    cwd = base / "elsewhere"
    cwd.mkdir()
    return Installed(env, cwd)


def test_the_installed_code_is_the_wheels_and_not_the_checkouts(installed):
    found = installed.python(
        "import app, migrations, resources, server; "
        "print(app.__file__, migrations.__file__, resources.__file__, server.__file__)"
    ).split()

    assert all(Path(f).is_relative_to(installed.env) for f in found), found


def test_the_installed_desk_creates_a_database_at_the_newest_schema(installed):
    db = installed.cwd / "desk.sqlite3"

    done = installed.backroom("--db", str(db), "db", "upgrade", "--create")

    assert done.returncode == 0, done.stderr
    assert "schema is up to date" in done.stdout
    with sqlite3.connect(db) as conn:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert {"booking", "customer", "venue", "audit_event"} <= tables


def test_the_installed_desk_seeds_the_demo_venue_it_carries(installed):
    done = installed.backroom("--db", str(installed.cwd / "demo.sqlite3"), "demo")

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Seeded The Backroom:")


def test_the_installed_server_finds_every_central_migration(installed):
    found = installed.python(
        "from alembic.script import ScriptDirectory; from server.migrate import alembic_config; "
        "print(*(s.revision for s in ScriptDirectory.from_config(alembic_config())"
        ".walk_revisions()))"
    ).split()

    expected = [s.revision for s in ScriptDirectory.from_config(central_config()).walk_revisions()]
    assert found == expected
    assert len(found) >= 5


def test_the_installed_desk_passes_its_self_test_but_for_this_machines_keyring(installed):
    done = installed.backroom("--self-test")

    for check in ("database", "booking", "audit", "floor plan"):
        assert f"ok    {check}: " in done.stdout, done.stdout + done.stderr
    assert "keyring: " in done.stdout
