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
