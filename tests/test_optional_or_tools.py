"""OR-Tools is optional (the bench extra): without it the exact oracle's tests skip, saying why."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEEDS_THE_ORACLE = [
    "tests/unit/allocation/test_alloc_proofs.py",
    "tests/unit/allocation/test_alloc_properties.py",
    "tests/unit/allocation/test_alloc_repack_exact.py",
]


def test_without_or_tools_the_oracles_tests_skip_with_the_reason_and_the_rest_run(tmp_path):
    # Found first on the path, this stands in for a machine without OR-Tools.
    (tmp_path / "ortools.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'ortools'\", name='ortools')\n"
    )
    path = os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *NEEDS_THE_ORACLE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert "2 passed, 4 skipped" in summary, run.stdout
    assert "the exact oracle needs OR-Tools (the bench extra)" in run.stdout
