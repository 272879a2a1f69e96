"""Starting the SMS fake as a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.stripe_fake.processes import ROOT, free_port, stop, wait_until_up

__all__ = ["free_port", "start_sms_fake", "stop"]


def start_sms_fake(port: int, *, quiet: bool = True) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.sms_fake", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out,
    )
    wait_until_up(process, f"http://127.0.0.1:{port}/_fake/health", "The SMS fake")
    return process
