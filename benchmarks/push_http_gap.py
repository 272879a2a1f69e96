"""A create push's CPU over HTTP against the same push called in-process, in one process.

    PYTHONPATH=. python benchmarks/push_http_gap.py [--pushes 600] [--backlog 3000]

Runs the server's app under uvicorn in a thread of this process (one worker, one
desk pushing and waiting), so this process's CPU is the server's: per create push
and per empty push over HTTP, then the same create pushes handed to ``push()``
directly (parse, token check, push, answer), on the main thread and in a worker
thread as FastAPI runs it. What a create push costs over HTTP beyond an empty push,
less what it costs in-process, is what the HTTP path adds for a create alone.
Figures: docs/benchmarks.md, "A server with bookings behind it".
"""

from __future__ import annotations

import argparse
import concurrent.futures
import threading
import time

import server_push as bench  # the same desk, venue and PostgreSQL set-up
import uvicorn

from server.app import create_app
from server.settings import Settings
from server.sync.push import push
from tests.postgres import PgServer

PORT = 18766


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=600)
    parser.add_argument("--backlog", type=int, default=3000)
    args = parser.parse_args()
    n, p = args.pushes, bench.p
    with bench.throwaway_cluster(durable=True) as pg:
        url = PgServer.create_database(pg, "bench")
        bench.migrate(url)
        token, staff = bench.seed(url)
        app = create_app(Settings(database_url=url))
        config = uvicorn.Config(app, host="127.0.0.1", port=PORT, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{PORT}"
        bench.wait_up(base)
        if args.backlog:
            print(bench.load_backlog(url, base, token, staff, args.backlog, 1))
        desk = bench.register(base, token, staff, 1)[0]
        sessions, clock = app.state.sessions, app.state.clock
        day = 4000

        def creates() -> list[str]:
            nonlocal day
            day += n
            return [desk.create(bench.TABLES[i % len(bench.TABLES)], day + i) for i in range(n)]

        def in_process(body: str) -> None:
            request = p.PushRequest.model_validate_json(body)
            push(sessions, app.state.settings, clock, desk.token, request).model_dump_json()

        def cpu_per_push(run: object) -> float:
            began = time.process_time()
            run()  # type: ignore[operator]
            return (time.process_time() - began) / n * 1000

        for _ in range(2):  # the first round warms up
            bodies = creates()
            http = cpu_per_push(lambda b=bodies: bench.run_level(base, [desk], [b], 1, {}))
            empty_bodies = [desk.empty()] * n
            empty = cpu_per_push(lambda b=empty_bodies: bench.run_level(base, [desk], [b], 1, {}))
            bodies = creates()
            main_thread = cpu_per_push(lambda b=bodies: [in_process(x) for x in b])
            bodies = creates()
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                worker = cpu_per_push(
                    lambda b=bodies: [pool.submit(in_process, x).result() for x in b]
                )
            print(
                f"server CPU per push, ms: create over HTTP {http:.2f}, empty over HTTP "
                f"{empty:.2f}; in-process (parse, push with its token check, answer) "
                f"{main_thread:.2f} on the main thread, {worker:.2f} in a worker thread; "
                f"the HTTP path's own cost for a create {http - worker:.2f}, more than an "
                f"empty push's whole cost by {http - worker - empty:.2f}"
            )
        server.should_exit = True
        thread.join(5)


if __name__ == "__main__":
    main()
