"""Nothing in the suite depends on today's date: a representative part of it passes
years from now.

libfaketime (the Debian package ``faketime``; scripts/test installs it as root)
moves the wall clock of every process it starts to FAR_FUTURE: pytest, the
servers and desks its tests start, and the suite's throwaway PostgreSQL.

libfaketime 0.9.10 and Python 3.11 disagree twice: with the monotonic clock faked
too, a lock or event wait with a timeout never returns (``sem_clockwait`` is not
intercepted), so it stays real (FAKETIME_DONT_FAKE_MONOTONIC=1); with it real,
``time.sleep``'s absolute ``clock_nanosleep`` fails with EINVAL, so that run's
``sitecustomize`` sleeps with ``select`` instead.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAR_FUTURE = "2031-06-01 12:00:00"
TIMEOUT = 540  # pytest stops any test at 600 s; ~60 s on a quiet machine, ~250 s on a shared one
SUBSET = [
    "tests/server/far_future_probe.py",
    "tests/server/test_floor_intents.py",
    "tests/server/test_holds.py",
    "tests/sync/test_push_and_pull.py",
    "tests/sync/test_cli_connect.py",  # the CLI beside a server: it once booked a fixed date
    "tests/integration/test_use_cases.py",
    "tests/integration/test_waitlist_offers.py",
]
SITECUSTOMIZE = """\
import select
import signal
import time


def _sleep(seconds):
    select.select([], [], [], seconds)


time.sleep = _sleep
# A suite started in the background (`cmd &` in a script) ignores SIGINT and hands that
# on; a run out of time is stopped with SIGINT so that it stops its PostgreSQL first.
signal.signal(signal.SIGINT, signal.default_int_handler)
"""


def faketime() -> str:
    found = shutil.which("faketime")
    if found is None:
        reason = "the far-future run needs libfaketime (apt-get install faketime)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}, and CI must run it", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.mark.slow
def test_a_representative_part_of_the_suite_passes_in_june_2031(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    path = os.pathsep.join(filter(None, [str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "BACKROOM_FAR_FUTURE_YEAR": FAR_FUTURE[:4],
    }
    pytest_run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUBSET]

    code, out = run_to_the_end([faketime(), FAR_FUTURE, *pytest_run], env)

    assert code == 0, out[-8000:]
    assert " passed" in out and "skipped" not in out, out[-2000:]


def run_to_the_end(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run in a session of its own, so that a run out of time is stopped whole."""
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            out, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            # SIGINT first: pytest then stops its PostgreSQL and removes its files.
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.communicate(timeout=30)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"the far-future run took more than {TIMEOUT} s")
    return process.returncode, out
