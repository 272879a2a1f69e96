"""Central server: pushes per second, latency and CPU per push; a 10,000-change pull.

    PYTHONPATH=. python benchmarks/server_push.py [--workers 2] [--clients 2] [--pushes 1700]

Starts its own PostgreSQL 15 (durable defaults, pg_stat_statements loaded)
unless BENCH_DATABASE_URL names an empty database, runs `backroom-server
serve`, and drives it over loopback HTTP from 1, 4 and 16 desks at once, run
by ``--clients`` processes; each desk pushes one create_booking intent with
its audit event and waits for the answer. CPU per push comes from /proc for
the clients, the server and PostgreSQL; PostgreSQL says how long each
statement ran. Then empty pushes, a 10,000-change pull, and an in-process
split of one push's Python CPU. Figures: docs/benchmarks.md, "Central server".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import protocol as p  # noqa: E402
from app.domain.audit import GENESIS, seal  # noqa: E402
from app.domain.permissions import Role  # noqa: E402
from app.domain.references import new_reference  # noqa: E402
from server.auth import service as auth  # noqa: E402
from server.auth.principals import StaffPrincipal  # noqa: E402
from server.clock import SystemClock  # noqa: E402
from server.db import make_engine, make_sessionmaker  # noqa: E402
from server.settings import Settings  # noqa: E402
from server.venues.service import load_plan_file  # noqa: E402
from tests.postgres import PgServer, migrate, throwaway_cluster  # noqa: E402

PLAN = json.loads((ROOT / "resources" / "backroom.json").read_text())
VENUE_ID = uuid.UUID(PLAN["venue"]["id"])
TABLES = sorted(PLAN["tables"], key=lambda t: t["number"])
PW = "benchmark password"
EVENING = datetime(2027, 3, 2, 19, 0, tzinfo=UTC)  # a Tuesday, the bar open 17:00–01:00
TICK = os.sysconf("SC_CLK_TCK")
# Bookings on the server before the measured pushes: about two and a half weeks of The
# Backroom's (docs/benchmarks.md), on days of their own (2069 on), clear of the measured.
BACKLOG, BACKLOG_DAY = 5000, 15_000
PG_SETTINGS = (
    "fsync",
    "synchronous_commit",
    "full_page_writes",
    "wal_sync_method",
    "commit_delay",
    "commit_siblings",
)


def seed(url: str) -> tuple[str, p.StaffInfo]:
    engine, now = make_engine(url, 1), SystemClock().now()
    with make_sessionmaker(engine)() as session:
        load_plan_file(session, PLAN)
        new = p.NewStaff(username="manager", name="Bench Manager", role=Role.MANAGER, password=PW)
        staff = auth.create_staff(session, now, VENUE_ID, new)  # commits
        login = p.LoginRequest(venue_id=VENUE_ID, username="manager", password=PW)
        token = auth.login(session, Settings(database_url=url), now, login).token
    engine.dispose()
    return token, staff


class BenchDesk:
    """A registered desk that numbers its intents and keeps its audit chain.

    Its guests give a phone number, so each create push also queues their messages
    (the worst case); ``--no-contact`` books guests who gave none.
    """

    phone = "+447700900123"  # "" is a guest who gave none

    def __init__(self, registered: dict[str, Any], staff: p.StaffInfo) -> None:
        self.device_id, self.token, self.staff = registered["device_id"], registered["token"], staff
        self.seq, self.audit_seq, self.audit_hash = 0, 0, GENESIS

    def create(self, table: dict[str, Any], day: int) -> str:
        booking, now = str(uuid.uuid4()), datetime.now(UTC)
        customer = {"id": str(uuid.uuid4()), "name": "Bench Guest", "phone": self.phone}
        args = {
            **{"reference": new_reference(), "customer": customer, "status": "confirmed"},
            **{"party_size": table["min_covers"], "table_ids": [table["id"]]},
            **{"start": (EVENING + timedelta(days=day)).isoformat(), "duration_minutes": 90},
        }
        self.seq += 1
        event = seal(
            **{"id": str(uuid.uuid4()), "device_id": self.device_id, "seq": self.audit_seq + 1},
            **{"at": now, "staff_id": str(self.staff.id), "staff_name": self.staff.name},
            **{"action": "create_booking", "entity": "booking", "entity_id": booking},
            **{"before": None, "after": args, "prev_hash": self.audit_hash},
        )
        self.audit_seq, self.audit_hash = event.seq, event.hash
        audit = {name: getattr(event, name) for name in event.__slots__} | {"at": now.isoformat()}
        mutation = {
            **{"name": "create_booking", "mutation_id": str(uuid.uuid4()), "base_version": 0},
            **{"device_id": self.device_id, "device_seq": self.seq, "entity_id": booking},
            **{"staff_id": str(self.staff.id), "device_time": now.isoformat(), "args": args},
            **{"protocol_version": p.PROTOCOL_VERSION, "schema_version": p.SCHEMA_VERSION},
            "audit": [audit],
        }
        return json.dumps({"device_id": self.device_id, "mutations": [mutation]})

    def empty(self) -> str:
        return json.dumps({"device_id": self.device_id, "mutations": []})


def register(base: str, manager_token: str, staff: p.StaffInfo, n: int) -> list[BenchDesk]:
    with httpx.Client(base_url=base) as client:
        answers = [
            client.post(
                "/v1/devices",
                json={"name": f"Bench desk {uuid.uuid4().hex[:6]}"},
                headers={"Authorization": f"Bearer {manager_token}"},
            )
            for _ in range(n)
        ]
    return [BenchDesk(a.raise_for_status().json(), staff) for a in answers]


def _client(base: str, work: list[tuple[str, list[str]]], start: Any, out: Any) -> None:
    """One load-generating process: its desks push concurrently, each waiting for answers."""

    async def drive(client: httpx.AsyncClient, token: str, bodies: list[str]) -> None:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        for body in bodies:
            began = time.perf_counter()
            answer = await client.post("/v1/sync/push", content=body, headers=headers)
            latencies.append(time.perf_counter() - began)
            answer.raise_for_status()
            outcomes = answer.json()["outcomes"]
            if outcomes and outcomes[0]["outcome"] != "applied":
                stats["not_applied"] += 1

    async def run() -> None:
        limits = httpx.Limits(max_connections=len(work) + 2)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
            await client.get("/health")  # connect before the clock starts
            start.wait()
            stats["began"], cpu = time.time(), time.process_time()
            await asyncio.gather(*(drive(client, token, bodies) for token, bodies in work))
            stats["ended"], stats["cpu"] = time.time(), time.process_time() - cpu

    latencies: list[float] = []
    stats: dict[str, float] = {"not_applied": 0}
    try:
        asyncio.run(run())
    except Exception as exc:
        out.put(repr(exc))  # the parent stops at once instead of waiting for an answer
        raise
    out.put((latencies, stats))


def tree_ticks(root: int) -> int:
    """CPU ticks of a process and its live descendants, plus its reaped children."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])
            if pid == root:
                total += int(fields[13]) + int(fields[14])
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        todo += [int(c) for c in children]
    return total


def run_level(
    base: str, desks: list[BenchDesk], bodies: list[list[str]], clients: int, pids: dict[str, int]
) -> dict[str, Any]:
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    n = min(clients, len(desks))
    shares = [
        [(d.token, b) for d, b in zip(desks[i::n], bodies[i::n], strict=True)] for i in range(n)
    ]
    procs = [ctx.Process(target=_client, args=(base, s, start, out)) for s in shares]
    for proc in procs:
        proc.start()
    time.sleep(1.0)  # every client connected and waiting
    before = {name: tree_ticks(pid) for name, pid in pids.items()}
    start.set()
    results = [out.get(timeout=3600) for _ in procs]
    failed = [r for r in results if isinstance(r, str)]
    if failed:
        for proc in procs:
            proc.kill()
        raise SystemExit(f"a load-generating process failed: {failed[0]}")
    after = {name: tree_ticks(pid) for name, pid in pids.items()}
    for proc in procs:
        proc.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    elapsed = max(s["ended"] for _, s in results) - min(s["began"] for _, s in results)
    count = len(latencies)
    cpu = {name: (after[name] - before[name]) / TICK / count * 1000 for name in pids}
    cpu["client"] = sum(s["cpu"] for _, s in results) / count * 1000
    return {
        "count": count,
        "rate": count / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(count - 1, int(count * 0.99))] * 1000,
        "not_applied": int(sum(s["not_applied"] for _, s in results)),
        "cpu": cpu,
    }


def pull_10k(base: str, desk: BenchDesk, limit: int) -> tuple[float, int, int]:
    got, pages, cursor, more = 0, 0, 0, True
    with httpx.Client(base_url=base, timeout=60) as client:
        began = time.perf_counter()
        while got < 10_000 and more:
            page = client.get(
                "/v1/sync/changes",
                params={"after": cursor, "limit": limit},
                headers={"Authorization": f"Bearer {desk.token}"},
            ).json()
            got, pages, cursor, more = (
                got + len(page["changes"]),
                pages + 1,
                page["cursor"],
                page["has_more"],
            )
        return time.perf_counter() - began, got, pages


def wait_up(base: str) -> None:
    for _ in range(200):
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/health").status_code == 200:
                return
        time.sleep(0.05)
    raise SystemExit("the server did not start")


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def postmaster_pid(url: str) -> int | None:
    with psycopg.connect(_conninfo(url)) as conn:
        directory = conn.execute("SHOW data_directory").fetchone()
    try:
        return int(Path(str(directory[0]), "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, TypeError):
        return None  # a remote or foreign cluster: its CPU is not ours to read


def pg_settings(url: str) -> str:
    with psycopg.connect(_conninfo(url)) as conn:
        return ", ".join(f"{s}={conn.execute(f'SHOW {s}').fetchone()[0]}" for s in PG_SETTINGS)


def enable_statement_stats(url: str, fast_commit: bool, settings: list[str]) -> None:
    """pg_stat_statements (postgresql-contrib) in our own throwaway cluster: a restart."""
    from tests.postgres import as_postgres, pg_bin

    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        if fast_commit:
            conn.execute("ALTER SYSTEM SET synchronous_commit = off")
        for setting in settings:
            name, value = setting.split("=", 1)
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        row = conn.execute("SELECT current_setting('data_directory'), current_setting('port')")
        directory, port = row.fetchone()  # type: ignore[misc]
    pg_ctl = [str(pg_bin() / "pg_ctl"), "-D", directory, "-l", f"{directory}/../log", "-w"]
    options = ["-m", "fast", "-o", f"-p {port} -h 127.0.0.1", "restart"]
    subprocess.run(as_postgres(pg_ctl + options), check=True, capture_output=True)
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_stat_statements")


def statements(url: str, pushes: int, reset: bool = False) -> str:
    """PostgreSQL's own account of the statements per push: how many, how long each ran."""
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        try:
            if reset:
                conn.execute("SELECT pg_stat_statements_reset()")
                return ""
            rows = conn.execute(
                # One statement may be listed twice (before and after psycopg prepares it).
                "SELECT sum(calls), sum(total_exec_time) / sum(calls), q FROM (SELECT calls, "
                "total_exec_time, left(regexp_replace(regexp_replace(query, '\\s+', ' ', 'g'), "
                "'\\$\\d+|\\m\\d+\\M', '?', 'g'), 90) AS q "
                "FROM pg_stat_statements WHERE query NOT LIKE '%%pg_stat_statements%%') AS s "
                "GROUP BY q HAVING sum(calls) >= %s ORDER BY sum(total_exec_time) DESC LIMIT 10",
                (pushes // 2,),
            ).fetchall()
        except psycopg.Error:
            return "  (pg_stat_statements is not loaded in this cluster)"
    return "\n".join(f"  {c / pushes:4.2f} × {ms:7.3f} ms  {q}" for c, ms, q in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=1700, help="pushes per concurrency level")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=2, help="load-generating processes")
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--no-phases", action="store_true", help="skip the in-process split")
    parser.add_argument(
        "--no-contact",
        action="store_true",
        help="guests give no phone, so no guest messages are queued: the push path alone",
    )
    parser.add_argument(
        "--backlog",
        type=int,
        default=BACKLOG,
        help="bookings the server already holds before the measured pushes (0: none)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="also create and empty pushes at 4 desks in this many alternating blocks",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the throwaway cluster (ALTER SYSTEM), e.g. commit_delay=500",
    )
    parser.add_argument(
        "--fast-commit",
        action="store_true",
        help="synchronous_commit=off: NOT the deployment advice; shows what the WAL flush costs",
    )
    args = parser.parse_args()
    if args.no_contact:
        BenchDesk.phone = ""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        run(url, args)
        return
    with throwaway_cluster(durable=True) as pg:
        url = PgServer.create_database(pg, "bench")
        enable_statement_stats(url, args.fast_commit, args.set)
        run(url, args)


def run(url: str, args: argparse.Namespace) -> None:
    migrate(url)
    token, staff = seed(url)
    port = 18000 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BACKROOM_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env["BACKROOM_POOL_SIZE"] = "20"
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
    command += ["--log-level", "warning", "--workers", str(args.workers)]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    pids = {"server": server.pid}
    postmaster = postmaster_pid(url)
    if postmaster is not None:
        pids["postgres"] = postmaster
    levels = [int(x) for x in args.levels.split(",")]
    try:
        wait_up(base)
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, load average before the run "
            f"{os.getloadavg()[0]:.1f}; uvicorn workers: {args.workers}; client processes: "
            f"{args.clients}\nPostgreSQL {pg_settings(url)}"
        )
        if args.backlog:
            print(load_backlog(url, base, token, staff, args.backlog, args.clients))
        print("desks  pushes  pushes/s  p50 ms  p99 ms  not applied  CPU ms per push: ", end="")
        print("client / server / PostgreSQL")
        day = 0
        for level in levels:
            desks = register(base, token, staff, level)
            per_desk = args.pushes // level
            bodies = [
                [d.create(TABLES[i % len(TABLES)], day + n) for n in range(per_desk)]
                for i, d in enumerate(desks)
            ]
            day += per_desk
            statements(url, 0, reset=True)
            r = run_level(base, desks, bodies, args.clients, pids)
            cpu = r["cpu"]
            print(
                f"{level:5d}  {r['count']:6d}  {r['rate']:8.0f}  {r['p50']:6.1f}  "
                f"{r['p99']:6.1f}  {r['not_applied']:11d}  {cpu['client']:.2f} / "
                f"{cpu['server']:.2f} / {cpu.get('postgres', float('nan')):.2f}"
            )
        print(
            f"statements per push at {levels[-1]} desks, as PostgreSQL ran them (incl. lock waits):"
        )
        print(statements(url, r["count"]))
        desks = register(base, token, staff, 4)
        empty = run_level(base, desks, [[d.empty()] * 250 for d in desks], args.clients, pids)
        e = empty["cpu"]
        print(
            f"empty pushes (HTTP, framework, token check only), 4 desks: {empty['rate']:.0f}/s, "
            f"CPU ms per push: client {e['client']:.2f} / server {e['server']:.2f} / "
            f"PostgreSQL {e.get('postgres', float('nan')):.2f}"
        )
        if args.rounds:
            print(interleaved(base, token, staff, pids, args, day))
        reader = register(base, token, staff, 1)[0]
        for limit in (500, 2000):
            elapsed, got, pages = pull_10k(base, reader, limit)
            print(
                f"pull: {got} changes in {pages} pages of ≤{limit}: {elapsed:.2f} s "
                f"({got / elapsed:,.0f} changes/s)"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    if not args.no_phases:
        print(where_time_goes(url, staff))


def interleaved(
    base: str,
    token: str,
    staff: p.StaffInfo,
    pids: dict[str, int],
    args: argparse.Namespace,
    day: int,
) -> str:
    """Create pushes against empty pushes at 4 desks, in alternating blocks.

    The levels above measure the empty pushes half a minute after the creates, and
    this machine's speed changes by half from one minute to the next, so their ratio
    moved by ±0.1 between runs of the same commit. Here each round runs a block of
    each (in turn first), so both rates see the same machine; the ratio is of the
    totals, with the rounds' own ratios beside it.
    """
    rounds, level = args.rounds, 4
    makers, idle = register(base, token, staff, level), register(base, token, staff, level)
    chunk = args.pushes // level // rounds
    bodies = [
        [d.create(TABLES[i % len(TABLES)], day + n) for n in range(chunk * rounds)]
        for i, d in enumerate(makers)
    ]
    lines, runs = [], {"create": [], "empty": []}
    for k in range(rounds):
        blocks = [
            ("create", makers, [b[k * chunk : (k + 1) * chunk] for b in bodies]),
            ("empty", idle, [[d.empty()] * chunk for d in idle]),
        ]
        if k % 2:
            blocks.reverse()  # each kind goes first in every other round
        got = {name: run_level(base, ds, bs, args.clients, pids) for name, ds, bs in blocks}
        for name, r in got.items():
            runs[name].append(r)
        c, e = got["create"]["rate"], got["empty"]["rate"]
        lines.append(f"  round {k + 1}: create {c:.0f}/s, empty {e:.0f}/s, ratio {c / e:.3f}")
    total = {name: _pooled(rs) for name, rs in runs.items()}
    ratios = sorted(
        c["rate"] / e["rate"] for c, e in zip(runs["create"], runs["empty"], strict=True)
    )
    c, e = total["create"], total["empty"]
    return "\n".join(
        [
            f"create against empty pushes, {level} desks, {rounds} alternating rounds of "
            f"{chunk * level} each:",
            *lines,
            f"  all rounds: create {c['rate']:.0f}/s, empty {e['rate']:.0f}/s, "
            f"ratio {c['rate'] / e['rate']:.3f} (rounds' median {statistics.median(ratios):.3f}); "
            f"CPU ms per push, client + server + PostgreSQL: create {c['cpu']:.2f}, "
            f"empty {e['cpu']:.2f}",
        ]
    )


def _pooled(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Blocks taken together: pushes over their summed time, CPU per push over all."""
    count = sum(r["count"] for r in runs)
    elapsed = sum(r["count"] / r["rate"] for r in runs)
    cpu = sum(sum(r["cpu"].values()) * r["count"] for r in runs) / count
    return {"rate": count / elapsed, "cpu": cpu}


def load_backlog(url: str, base: str, token: str, staff: p.StaffInfo, n: int, clients: int) -> str:
    """The bookings a venue's server already holds, pushed by 8 desks, then VACUUM ANALYZE.

    A server that has run for a while has weeks of bookings, audit events and outcomes,
    and autovacuum has vacuumed and analyzed them. Without this the measured pushes
    write into tables that were empty when their statements' plans were cached:
    PostgreSQL keeps a prepared statement's generic plan until the table's statistics
    change, and autovacuum wakes once a minute, later than a level ends, so every push
    scanned the whole of bookings and audit_events (pg_stat_user_tables: 1,091 rows of
    each per push by the 1,100th). VACUUM too, so that the vacuum autovacuum owes for
    5,000 inserts does not run inside the measured level. Booked on days of their own.
    """
    desks = register(base, token, staff, 8)
    share = n // len(desks)
    bodies = [
        [d.create(TABLES[i % len(TABLES)], BACKLOG_DAY + k) for k in range(share)]
        for i, d in enumerate(desks)
    ]
    began = time.perf_counter()
    r = run_level(base, desks, bodies, clients, {})
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return (
        f"backlog: {r['count']} bookings already held ({r['rate']:.0f} pushes/s), "
        f"then VACUUM ANALYZE; {time.perf_counter() - began:.0f} s"
    )


def where_time_goes(url: str, staff: p.StaffInfo, n: int = 300) -> str:
    """In-process, no HTTP: one create push's Python CPU split into its phases."""
    from server.app import create_app
    from server.auth.service import register_device
    from server.sync.push import push

    app = create_app(Settings(database_url=url))
    engine, sessions, clock = app.state.engine, app.state.sessions, app.state.clock
    manager = StaffPrincipal(VENUE_ID, staff.id, staff.name, Role.MANAGER)
    with sessions() as session:
        new = p.DeviceRegistration(name="Profile desk")
        registered = register_device(session, app.state.settings, clock.now(), manager, new)
    desk = BenchDesk(registered.model_dump(mode="json"), staff)
    bodies = [desk.create(TABLES[i % len(TABLES)], 4000 + i) for i in range(n + 20)]
    # The token is checked inside push(), with the desk's lock.
    phases = dict.fromkeys(("parse", "push", "answer"), 0.0)
    for i, body in enumerate(bodies):
        if i == 20:  # warmed up: plan cached, statements prepared
            phases, wall = dict.fromkeys(phases, 0.0), time.perf_counter()
        marks = [time.process_time()]
        request = p.PushRequest.model_validate_json(body)
        marks.append(time.process_time())
        answer = push(sessions, app.state.settings, clock, desk.token, request)
        marks.append(time.process_time())
        answer.model_dump_json()
        marks.append(time.process_time())
        for name, a, b in zip(phases, marks, marks[1:], strict=False):
            phases[name] += b - a
    wall = (time.perf_counter() - wall) / n * 1000
    engine.dispose()
    cpu = " + ".join(f"{name} {t / n * 1000:.2f}" for name, t in phases.items())
    return f"in-process, one desk, no HTTP: {wall:.2f} ms per create push; Python CPU {cpu} ms"


if __name__ == "__main__":
    main()
