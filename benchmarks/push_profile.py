"""Python CPU of one create push in-process (no HTTP), with the top of its profile.

    PYTHONPATH=. python benchmarks/push_profile.py [--pushes 600] [--top 30]

Starts its own durable PostgreSQL like server_push.py, registers a desk and
times ``server.sync.push.push`` over N create pushes after 20 to warm up, under
cProfile. Run it in two trees (PYTHONPATH=that tree) to compare commits.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

import server_push as bench  # the same desk, venue and PostgreSQL set-up

from app.domain.permissions import Role
from server.app import create_app
from server.auth.principals import StaffPrincipal
from server.auth.service import authenticate, register_device
from server.settings import Settings
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
    args = parser.parse_args()
    p = bench.p
    if args.no_contact:
        bench.BenchDesk.phone = ""
    with bench.throwaway_cluster(durable=True) as pg:
        url = PgServer.create_database(pg, "bench")
        bench.migrate(url)
        _, staff = bench.seed(url)
        app = create_app(Settings(database_url=url))
        engine, sessions, clock = app.state.engine, app.state.sessions, app.state.clock
        manager = StaffPrincipal(bench.VENUE_ID, staff.id, staff.name, Role.MANAGER)
        with sessions() as session:
            new = p.DeviceRegistration(name="Profile desk")
            registered = register_device(session, app.state.settings, clock.now(), manager, new)
        desk = bench.BenchDesk(registered.model_dump(mode="json"), staff)
        n = args.pushes
        bodies = [desk.create(bench.TABLES[i % len(bench.TABLES)], 4000 + i) for i in range(n + 20)]
        profile, cpu = cProfile.Profile(time.process_time), 0.0  # CPU, not waiting
        for i, body in enumerate(bodies):
            request = p.PushRequest.model_validate_json(body)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                principal = authenticate(conn, desk.token, clock.now())
            timed = i >= 20
            if timed:
                started = time.process_time()
                if not args.no_profile:
                    profile.enable()
            push(sessions, app.state.settings, clock, principal, request)  # type: ignore[arg-type]
            if timed:
                if not args.no_profile:
                    profile.disable()
                cpu += time.process_time() - started
        engine.dispose()
    print(f"push(): {cpu / n * 1000:.2f} ms of Python CPU per create push ({n} pushes)")
    if args.no_profile:
        return
    if args.save:
        profile.dump_stats(args.save)
    pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
