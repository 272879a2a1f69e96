"""CI's entry point: whatever the CI service sets, the suite runs with CI=true."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_test_script_with_ci_true_even_when_the_service_does_not_set_it(tmp_path):
    (tmp_path / ".ci").mkdir()
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    # A stand-in for scripts/test that only says what it was given.
    stand_in = tmp_path / "scripts" / "test"
    stand_in.write_text('#!/usr/bin/env bash\necho "CI=${CI:-unset} args=$*"\n')
    stand_in.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "CI"}

    result = subprocess.run(
        [str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "CI=true args=-q"


def stand_in_checkout(tmp_path: Path) -> Path:
    """scripts/test in a folder whose bootstrap, ruff, lint-imports and Python only say
    what they were given."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "test", tmp_path / "scripts" / "test")
    (tmp_path / "scripts" / "bootstrap.sh").write_text("true\n")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("ruff", "lint-imports"):
        (bin_dir / name).write_text("#!/usr/bin/env bash\ntrue\n")
        (bin_dir / name).chmod(0o755)
    (bin_dir / "python").write_text('#!/usr/bin/env bash\necho "$*"\n')
    (bin_dir / "python").chmod(0o755)
    # Not root, so it installs nothing whatever this machine lacks.
    (bin_dir / "id").write_text("#!/usr/bin/env bash\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    return tmp_path / "scripts" / "test"


def pytest_args(script: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "BACKROOM_TEST_WORKERS"}
    env["PATH"] = f"{script.parent.parent / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    run = subprocess.run(
        [str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def test_the_suite_runs_in_two_workers_unless_the_caller_says_how_many(tmp_path):
    script = stand_in_checkout(tmp_path)

    assert pytest_args(script, "-q") == "-m pytest -n 2 --dist worksteal -q"
    assert pytest_args(script, "tests/unit", "-n", "0") == "-m pytest tests/unit -n 0"
    assert pytest_args(script, "-n4", "-q") == "-m pytest -n4 -q"
    assert pytest_args(script, "-p", "no:xdist") == "-m pytest -p no:xdist"
