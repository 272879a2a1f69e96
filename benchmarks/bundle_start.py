"""How long the PyInstaller bundle takes to show its first window, as a double-click would.

    ./scripts/package && python benchmarks/bundle_start.py [--bundle dist/Backroom] [--runs 5]

Runs ``backroom`` from the bundle on a real X server (Xvfb, started here) against a
demo desk in a temporary folder, and measures from the process start until the
sign-in window is mapped (``xwininfo``), then stops it. The first run is cold
(nothing of the bundle in the page cache only if the machine was just booted;
otherwise it is as warm as the next). Figures: README, "Install on the reception PC".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def until_window(env: dict[str, str], exe: Path, title: str, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    desk = subprocess.Popen([str(exe)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - started < timeout:
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True
            ).stdout
            if title in tree:
                return time.perf_counter() - started
            if desk.poll() is not None:
                raise RuntimeError(f"the desk exited: {desk.stderr.read().decode()[-2000:]}")
            time.sleep(0.02)
        raise RuntimeError(f"no window titled {title!r} within {timeout} s")
    finally:
        desk.kill()
        desk.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "Backroom")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = args.bundle / ("backroom.exe" if sys.platform == "win32" else "backroom")
    with tempfile.TemporaryDirectory() as tmp:
        display = ":97"
        xvfb = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"]
        )
        try:
            time.sleep(1.0)
            hidden = ("PYTHONPATH", "BACKROOM_MIGRATIONS", "QT_QPA_PLATFORM")
            env = {k: v for k, v in os.environ.items() if k not in hidden}
            env |= {"DISPLAY": display, "BACKROOM_DB": f"{tmp}/desk.sqlite3"}
            env |= {"BACKROOM_LOG_DIR": f"{tmp}/logs", "BACKROOM_BACKUP_DIR": f"{tmp}/backups"}
            subprocess.run([str(exe), "demo"], env=env, check=True, capture_output=True)
            times = [until_window(env, exe, "Sign in") for _ in range(args.runs)]
        finally:
            xvfb.terminate()
            xvfb.wait()
    size = sum(
        f.lstat().st_size for f in args.bundle.rglob("*") if f.is_file() and not f.is_symlink()
    )
    print(
        f"bundle {args.bundle} ({size / 1e6:.0f} MB): first window (sign-in) after "
        f"{', '.join(f'{t:.2f}' for t in times)} s; median {statistics.median(times):.2f} s"
    )


if __name__ == "__main__":
    main()
