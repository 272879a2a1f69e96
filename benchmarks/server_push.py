"""Central server: single-intent pushes per second, latency, and a 10,000-change pull.

    PYTHONPATH=. python benchmarks/server_push.py [--pushes 1000] [--workers 1]

Starts its own PostgreSQL (durable defaults: fsync and synchronous_commit on)
unless BENCH_DATABASE_URL names an empty database, runs `backroom-server serve`
(uvicorn) in a separate process, and drives it over loopback HTTP from 1, 4
and 16 concurrent desks, each pushing one create_booking intent per request
and waiting for the answer. Then a fresh desk pulls 10,000 changes. Last, an
in-process run counts SQL statements and database time per push, to show
where the time goes. Figures go in docs/benchmarks.md ("Central server").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.domain.permissions import Role  # noqa: E402
from app.sync import protocol as p  # noqa: E402
from server.auth import service as auth  # noqa: E402
from server.clock import SystemClock  # noqa: E402
from server.db import make_engine, make_sessionmaker  # noqa: E402
from server.settings import Settings  # noqa: E402
from server.venues.service import load_plan_file  # noqa: E402
from tests.postgres import PgServer, migrate, throwaway_cluster  # noqa: E402

PLAN = json.loads((ROOT / "resources" / "backroom.json").read_text())
VENUE_ID = uuid.UUID(PLAN["venue"]["id"])
TABLES = sorted(PLAN["tables"], key=lambda t: t["number"])
PASSWORD = "benchmark password"


def seed(url: str) -> tuple[str, p.StaffInfo]:
    engine = make_engine(url, 1)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        load_plan_file(session, PLAN)
    with sessions() as session:
        new = p.NewStaff(
            username="manager", name="Bench Manager", role=Role.MANAGER, password=PASSWORD
        )
        staff = auth.create_staff(session, SystemClock().now(), VENUE_ID, new)
        login = p.LoginRequest(venue_id=VENUE_ID, username="manager", password=PASSWORD)
        token = auth.login(session, Settings(database_url=url), SystemClock().now(), login).token
    engine.dispose()
    return token, staff


def intent(
    device_id: str, seq: int, staff_id: str, table: dict[str, Any], day: int, start_base: Any
) -> dict[str, Any]:
    booking = uuid.uuid4()
    start = start_base + timedelta(days=day)
    return {
        "name": "create_booking",
        "mutation_id": str(uuid.uuid4()),
        "device_id": device_id,
        "device_seq": seq,
        "entity_id": str(booking),
        "base_version": 0,
        "staff_id": staff_id,
        "device_time": start.isoformat(),
        "protocol_version": p.PROTOCOL_VERSION,
        "schema_version": p.SCHEMA_VERSION,
        "args": {
            "reference": _reference(),
            "customer": {"id": str(uuid.uuid4()), "name": "Bench Guest", "phone": "+447700900123"},
            "party_size": table["min_covers"],
            "start": start.isoformat(),
            "duration_minutes": 90,
            "table_ids": [table["id"]],
            "status": "confirmed",
        },
    }


def _reference() -> str:
    from app.domain.references import new_reference

    return new_reference()


class Desks:
    def __init__(self, base: str, manager_token: str, staff: p.StaffInfo) -> None:
        self.base, self.token, self.staff = base, manager_token, staff
        self.day = 0

    def register(self, n: int) -> list[dict[str, Any]]:
        desks = []
        with httpx.Client(base_url=self.base) as client:
            for i in range(n):
                answer = client.post(
                    "/v1/devices",
                    json={"name": f"Bench desk {i}"},
                    headers={"Authorization": f"Bearer {self.token}"},
                )
                answer.raise_for_status()
                desks.append({**answer.json(), "seq": 0})
        return desks


async def run_level(
    base: str, desks: list[dict[str, Any]], staff_id: str, total: int, day0: int
) -> tuple[float, list[float], int]:
    from tests.server.harness import EVENING

    per_desk = total // len(desks)
    bodies = []
    for d, desk in enumerate(desks):
        table = TABLES[d % len(TABLES)]
        mine = []
        for i in range(per_desk):
            desk["seq"] += 1
            m = intent(desk["device_id"], desk["seq"], staff_id, table, day0 + i, EVENING)
            mine.append(json.dumps({"device_id": desk["device_id"], "mutations": [m]}))
        bodies.append(mine)
    latencies: list[float] = []
    conflicts = 0
    limits = httpx.Limits(max_connections=len(desks) + 4)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def drive(desk: dict[str, Any], mine: list[str]) -> None:
            nonlocal conflicts
            headers = {
                "Authorization": f"Bearer {desk['token']}",
                "Content-Type": "application/json",
            }
            for body in mine:
                began = time.perf_counter()
                answer = await client.post("/v1/sync/push", content=body, headers=headers)
                latencies.append(time.perf_counter() - began)
                answer.raise_for_status()
                if answer.json()["outcomes"][0]["outcome"] != "applied":
                    conflicts += 1

        began = time.perf_counter()
        await asyncio.gather(*(drive(d, m) for d, m in zip(desks, bodies, strict=True)))
        elapsed = time.perf_counter() - began
    return elapsed, latencies, conflicts


def pull_10k(base: str, desk: dict[str, Any], limit: int) -> tuple[float, int, int]:
    headers = {"Authorization": f"Bearer {desk['token']}"}
    got, pages, cursor = 0, 0, 0
    with httpx.Client(base_url=base, timeout=60) as client:
        began = time.perf_counter()
        while got < 10_000:
            page = client.get(
                "/v1/sync/changes", params={"after": cursor, "limit": limit}, headers=headers
            ).json()
            got += len(page["changes"])
            pages += 1
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        return time.perf_counter() - began, got, pages


def where_time_goes(url: str, token: str, staff: p.StaffInfo, n: int = 300) -> dict[str, float]:
    """In-process: statements and database time per push (TestClient, no network)."""
    from fastapi.testclient import TestClient

    from server.app import create_app
    from tests.server.harness import EVENING

    app = create_app(Settings(database_url=url))
    stats = {"statements": 0, "db": 0.0}

    @event.listens_for(app.state.engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, many):
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(app.state.engine, "after_cursor_execute")
    def after(conn, cursor, statement, params, context, many):
        stats["statements"] += 1
        stats["db"] += time.perf_counter() - conn.info.pop("t0")

    with TestClient(app) as client:
        desk = client.post(
            "/v1/devices",
            json={"name": "Profile desk"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        headers = {"Authorization": f"Bearer {desk['token']}"}
        bodies = [
            {
                "device_id": desk["device_id"],
                "mutations": [
                    intent(
                        desk["device_id"], i + 1, str(staff.id), TABLES[i % 16], 20_000 + i, EVENING
                    )
                ],
            }
            for i in range(n)
        ]
        empty = {"device_id": desk["device_id"], "mutations": []}
        began = time.perf_counter()
        for _ in range(n):
            client.post("/v1/sync/push", json=empty, headers=headers)
        empty_s = (time.perf_counter() - began) / n
        stats["statements"], stats["db"] = 0, 0.0
        began, cpu = time.perf_counter(), time.process_time()
        for body in bodies:
            client.post("/v1/sync/push", json=body, headers=headers)
        total = (time.perf_counter() - began) / n
        cpu_per_push = (time.process_time() - cpu) / n
    return {
        "push_ms": total * 1000,
        "cpu_ms": cpu_per_push * 1000,
        "empty_push_ms": empty_s * 1000,
        "statements": stats["statements"] / n,
        "db_ms": stats["db"] / n * 1000,
    }


def wait_up(base: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(f"{base}/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pushes",
        type=int,
        default=1700,
        help="pushes per concurrency level (3 levels × 1700 leave > 10,000 changes to pull)",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--levels", default="1,4,16")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        run(url, args)
        return
    with throwaway_cluster(durable=True) as pg:
        run(PgServer.create_database(pg, "bench"), args)


def run(url: str, args: argparse.Namespace) -> None:
    migrate(url)
    token, staff = seed(url)
    port = 18000 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BACKROOM_DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "BACKROOM_POOL_SIZE": "20",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(args.workers),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_up(base)
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; uvicorn workers: {args.workers}; "
            "PostgreSQL with durable defaults on loopback"
        )
        desks_api = Desks(base, token, staff)
        day = 0
        print("desks  pushes  pushes/s  p50 ms  p99 ms  not applied")
        for level in (int(x) for x in args.levels.split(",")):
            desks = desks_api.register(level)
            elapsed, lat, conflicts = asyncio.run(
                run_level(base, desks, str(staff.id), args.pushes, day)
            )
            day += args.pushes
            lat.sort()
            p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
            print(
                f"{level:5d}  {len(lat):6d}  {len(lat) / elapsed:8.0f}  "
                f"{statistics.median(lat) * 1000:6.1f}  {p99 * 1000:6.1f}  {conflicts:5d}"
            )
        reader = desks_api.register(1)[0]
        for limit in (500, 2000):
            elapsed, got, pages = pull_10k(base, reader, limit)
            print(
                f"pull: {got} changes in {pages} pages of ≤{limit}: {elapsed:.2f} s "
                f"({got / elapsed:,.0f} changes/s)"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    breakdown = where_time_goes(url, token, staff)
    print(
        "in-process, one desk: {push_ms:.2f} ms per create push ({statements:.0f} SQL "
        "statements, {db_ms:.2f} ms waiting on PostgreSQL, {cpu_ms:.2f} ms of Python CPU "
        "for client and server together); an empty push (auth + HTTP framework only) "
        "{empty_push_ms:.2f} ms".format(**breakdown)
    )


if __name__ == "__main__":
    main()
