"""Starting the fakes as processes of their own, on free loopback ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# localstripe is GPL: it runs only as a separate process and is never imported or copied.
LOCALSTRIPE_VERSION = "1.15.10"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(process: subprocess.Popen, url: str, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before it served")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not answer at {url} within {timeout} s")


def start_stripe_fake(
    port: int, *, quiet: bool = True, extra: list[str] | None = None
) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.stripe_fake", "--port", str(port), *(extra or [])],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out,
    )
    wait_until_up(process, f"http://127.0.0.1:{port}/_fake/health", "The Stripe fake")
    return process


def localstripe_command() -> str | None:
    """The venv's own localstripe first (the dev extra installs it), then $PATH."""
    beside = Path(sys.executable).parent / "localstripe"
    return str(beside) if beside.exists() else shutil.which("localstripe")


def start_localstripe(
    command: str, port: int, workdir: Path, *, quiet: bool = True
) -> subprocess.Popen:
    """localstripe 1.15.10 has no option for where it keeps its data: it always writes
    /tmp/localstripe.pickle. --from-scratch makes it never read that file, so runs share
    only a file nobody reads; each test still starts empty (DELETE /_config/data)."""
    out = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(
        [command, "--from-scratch", "--port", str(port)], cwd=workdir, stdout=out, stderr=out
    )
    wait_until_up(process, f"http://127.0.0.1:{port}/v1/customers", "localstripe")
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
