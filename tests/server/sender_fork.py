"""The outbox's sender, restarted fast enough to be killed a thousand times.

``python -m tests.server.sender_fork`` imports the server once, then reads commands
on standard input: ``run`` forks a child that builds its own engine and channels from
the BACKROOM_* settings and runs the real ``server.messages.worker`` sender; ``kill``
sends that child SIGKILL at once (the test picks the moment) and reaps it; ``drain``
runs one until nothing is left and waits for it. Each answers one line. Forking skips
the seconds of imports a fresh interpreter would spend on every restart.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

from server.messages import worker


def _fork(lease: str, *extra: str) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            worker.main(["--lease-seconds", lease, "--poll", "0.05", "--batch", "4", *extra])
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    return pid


def main() -> None:
    lease = os.environ.get("KILL_TEST_LEASE_SECONDS", "1")
    child = 0
    for line in sys.stdin:
        match line.strip():
            case "run":
                child = _fork(lease)
                print(child, flush=True)
            case "kill":
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
                print("killed", flush=True)
            case "drain":
                _, status = os.waitpid(_fork(lease, "--until-idle"), 0)
                print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    main()
