"""Python CPU of one create push in-process (no HTTP), with the top of its profile.

    PYTHONPATH=. python benchmarks/push_profile.py [--pushes 600] [--top 30] [--sample] [--pulls]

Starts its own durable PostgreSQL like server_push.py, registers a desk and
times ``server.sync.push.push`` over N create pushes after 300 to warm up and an
ANALYZE, under cProfile. Run it in two trees (PYTHONPATH=that tree) to compare commits.

cProfile's cost per call weighs code with many small calls most; ``--sample``
instead interrupts the push on CPU time (SIGPROF) and counts the functions on the
stack, which costs little and shows each function's share as it is. The kernel
samples once a tick at most (about every 4 ms here), so give it a few thousand
pushes. Time spent in C is counted at the next Python line run, often its caller's.

``--pulls`` follows each push with the desk's pull of what changed, as a desk does when
the server tells it of a change, on a pool of one connection; the figures are then of
the pair, PostgreSQL's CPU included (its backend's, from /proc).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import signal
import sys
import time
import uuid
from types import FrameType

import server_push as bench  # the same desk, venue and PostgreSQL set-up
from sqlalchemy import Engine, text

from app.domain.permissions import Role
from server.app import create_app
from server.auth.principals import StaffPrincipal
from server.auth.service import register_device
from server.settings import Settings
from server.sync.pull import changes_page
from server.sync.push import push
from tests.postgres import PgServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pushes", type=int, default=600)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="time only: the CPU figure without cProfile's cost",
    )
    parser.add_argument(
        "--no-contact", action="store_true", help="guests give no phone: no guest messages"
    )
    parser.add_argument("--save", help="also write the profile here (for pstats or snakeviz)")
    parser.add_argument("--sample", action="store_true", help="a SIGPROF sampler, not cProfile")
    parser.add_argument(
        "--pulls", action="store_true", help="each push followed by a pull, one connection"
    )
    args = parser.parse_args()
    p = bench.p
    if args.no_contact:
        bench.BenchDesk.phone = ""
    with bench.throwaway_cluster(durable=True) as pg:
        url = PgServer.create_database(pg, "bench")
        bench.migrate(url)
        _, staff = bench.seed(url)
        app = create_app(Settings(database_url=url, pool_size=1 if args.pulls else 10))
        engine, sessions, clock = app.state.engine, app.state.sessions, app.state.clock
        manager = StaffPrincipal(bench.VENUE_ID, staff.id, staff.name, Role.MANAGER)
        with sessions() as session:
            new = p.DeviceRegistration(name="Profile desk")
            registered = register_device(session, app.state.settings, clock.now(), manager, new)
        desk = bench.BenchDesk(registered.model_dump(mode="json"), staff)
        n = args.pushes
        bodies = [
            desk.create(bench.TABLES[i % len(bench.TABLES)], 4000 + i) for i in range(n + WARM)
        ]
        profile, cpu = cProfile.Profile(time.process_time), 0.0  # CPU, not waiting
        device_id, cursor, database = uuid.UUID(desk.device_id), 0, 0
        sampler = Sampler() if args.sample else None
        if sampler is not None:
            args.no_profile = True
        for i, body in enumerate(bodies):
            request = p.PushRequest.model_validate_json(body)
            timed = i >= WARM
            if i == WARM:
                _analyze(engine)
                database = -_backend_ticks(engine)
            if timed:
                started = time.process_time()
                if not args.no_profile:
                    profile.enable()
                if sampler is not None:
                    sampler.on = True
            push(sessions, app.state.settings, clock, desk.token, request)
            if args.pulls:
                with sessions() as session:
                    cursor = changes_page(session, device_id, cursor, 500, clock.now()).cursor
            if timed:
                if sampler is not None:
                    sampler.on = False
                if not args.no_profile:
                    profile.disable()
                cpu += time.process_time() - started
        database += _backend_ticks(engine)
        engine.dispose()
    what = "create push and pull" if args.pulls else "create push"
    print(f"push(): {cpu / n * 1000:.2f} ms of Python CPU per {what} ({n} pushes)")
    print(f"PostgreSQL: {database / bench.TICK / n * 1000:.2f} ms of CPU per {what} (/proc)")
    if sampler is not None:
        print(sampler.report(args.top))
        return
    if args.no_profile:
        return
    if args.save:
        profile.dump_stats(args.save)
    pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)


# Pushes before the timing starts, then ANALYZE, as autovacuum would have run on a server
# that has been up a while: a generic plan made while a table is nearly empty scans it
# whole, and keeps doing so as it grows until the table's statistics change.
WARM = 300


def _analyze(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def _backend_ticks(engine: Engine) -> int:
    """CPU ticks so far of the database's backends (the pool's, and this query's own)."""
    with engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        ticks = sum(bench.tree_ticks(pid) for pid in pids)
        conn.commit()  # not a rollback, which would drop the prepared statements
    return ticks


class Sampler:
    """Counts the functions on the stack at each SIGPROF while ``on``."""

    def __init__(self, every: float = 0.0001) -> None:
        self.on = False
        self.samples = 0
        self.inclusive: collections.Counter[str] = collections.Counter()
        self.own: collections.Counter[str] = collections.Counter()
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, every, every)

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        if not self.on or frame is None:
            return
        names = []
        while frame is not None:
            code = frame.f_code
            names.append(f"{code.co_filename.rsplit('site-packages/', 1)[-1]}:{code.co_name}")
            frame = frame.f_back
        self.samples += 1
        self.own[names[0]] += 1
        self.inclusive.update(set(names))

    def report(self, top: int) -> str:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        n = max(self.samples, 1)
        lines = [f"{self.samples} samples; inclusive:"]
        lines += [f"{c / n:6.1%}  {name}" for name, c in self.inclusive.most_common(top)]
        lines.append("own (the function itself, or C it called):")
        lines += [f"{c / n:6.1%}  {name}" for name, c in self.own.most_common(top)]
        return "\n".join(lines)


if __name__ == "__main__":
    main()
