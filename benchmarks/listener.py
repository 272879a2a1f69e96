"""CPU of one server instance's listener for each NOTIFY a push sends.

    PYTHONPATH=. python benchmarks/listener.py [--notes 3000] [--gap-ms 3]

Every push's commit NOTIFYs every server instance (server.events.notifier), so each
instance's listener wakes once per push, whether or not a desk is listening to it.
This starts its own PostgreSQL, runs the server's ``Notifier`` with one subscribed
desk in a process of its own, and sends ``--notes`` NOTIFYs one per transaction,
``--gap-ms`` apart (pushes arrive one at a time, not in a burst that one read would
drain). Prints the listener process's CPU per notification. Run it in two trees
(PYTHONPATH=that tree) to compare commits.
Figures: docs/benchmarks.md, "The listener's socket watched once".
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import time
import uuid
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event

import psycopg

from server.events.notifier import Notifier
from server.versioning import CHANNEL
from tests.postgres import PgServer, throwaway_cluster

VENUE = uuid.UUID(int=1)


def listen(url: str, n: int, ready: Event, cpu: Queue[float]) -> None:
    async def main() -> None:
        notifier = Notifier(url)
        await notifier.start()
        await notifier.listening.wait()
        desk = notifier.subscribe(VENUE)
        ready.set()
        started = time.process_time()
        for _ in range(n):
            await desk.get()
        cpu.put(time.process_time() - started)
        await notifier.stop()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=3000)
    parser.add_argument("--gap-ms", type=float, default=3.0)
    args = parser.parse_args()
    n = args.notes  # no schema: the desk subscribes after the listener's announcement
    with throwaway_cluster(durable=False) as pg:
        url = PgServer.create_database(pg, "listener")
        ready, cpu = mp.Event(), mp.Queue()
        listener = mp.Process(target=listen, args=(url, n, ready, cpu))
        listener.start()
        ready.wait(60)
        with psycopg.connect(pg.conninfo("listener"), autocommit=True) as conn:
            for version in range(1, n + 1):
                time.sleep(args.gap_ms / 1000)
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"{VENUE}:{version}"))
        spent = cpu.get(timeout=120)
        listener.join()
    print(f"listener: {spent / n * 1e6:.1f} µs of CPU per notification ({n} notifications)")


if __name__ == "__main__":
    main()
