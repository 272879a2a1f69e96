"""A real PostgreSQL for the tests: TEST_DATABASE_URL, or a throwaway cluster.

Import the fixtures into a conftest (``from tests.postgres import *``). The
cluster starts once per session with durability switched off (a test cluster
loses nothing worth keeping), the central migrations run once into a template
database, and every test gets a fresh copy of it (CREATE DATABASE … TEMPLATE).

Outside CI a machine without PostgreSQL skips these tests with the reason;
under CI=true that is a failure, so a broken CI image cannot pass silently.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

__all__ = [
    "PgServer",
    "database_url",
    "empty_database_url",
    "migrate",
    "module_database_url",
    "pg_server",
    "pg_template",
    "throwaway_cluster",
]


@dataclass(frozen=True)
class PgServer:
    """Where to reach a PostgreSQL superuser, as a SQLAlchemy URL."""

    admin_url: str

    def url_for(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(False)

    def conninfo(self, database: str = "postgres") -> str:
        url = make_url(self.admin_url).set(database=database, drivername="postgresql")
        return url.render_as_string(False)

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required under CI but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests need PostgreSQL: {reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextlib.contextmanager
def throwaway_cluster(durable: bool = False) -> Iterator[PgServer]:
    """A cluster of our own on a free loopback port, removed afterwards.

    Tests switch durability off (nothing in a test cluster is worth an fsync);
    benchmarks keep PostgreSQL's defaults so their figures mean something.
    """
    bin_dir = pg_bin()
    if bin_dir is None:
        _unavailable("no initdb found (install postgresql, or set TEST_DATABASE_URL)")
    # initdb refuses to run as root and needs a directory its user owns, which
    # pytest's 0700 basetemp is not.
    data = Path(tempfile.mkdtemp(prefix="backroom-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            as_postgres(
                [
                    str(bin_dir / "initdb"),
                    "--no-sync",
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-D",
                    str(data / "db"),
                ]
            ),
            **run,
        )
        conf = (
            f"max_connections = 300\nshared_buffers = 128MB\nunix_socket_directories = '{data}'\n"
        )
        if not durable:
            conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        with open(data / "db" / "postgresql.auto.conf", "a") as f:
            f.write(conf)
        subprocess.run(
            as_postgres(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data / "db"),
                    "-l",
                    str(data / "log"),
                    "-o",
                    f"-p {port} -h 127.0.0.1",
                    "-w",
                    "start",
                ]
            ),
            **run,
        )
    except (subprocess.CalledProcessError, OSError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        shutil.rmtree(data, ignore_errors=True)
        _unavailable(f"starting a throwaway cluster failed: {detail.strip()}")
    try:
        yield PgServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(
            as_postgres(
                [str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server whose user may create databases."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        server = PgServer(
            make_url(url).set(drivername="postgresql+psycopg").render_as_string(False)
        )
        try:
            psycopg.connect(server.conninfo(make_url(url).database or "postgres")).close()
        except psycopg.Error as error:
            _unavailable(f"TEST_DATABASE_URL does not connect: {error}")
        yield server
        return
    with throwaway_cluster() as server:
        yield server


def migrate(url: str, revision: str = "head") -> None:
    from alembic import command

    from server.migrate import alembic_config

    command.upgrade(alembic_config(url), revision)


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> Iterator[str]:
    """A database with the central migrations applied, copied for each test."""
    name = f"backroom_template_{uuid.uuid4().hex[:8]}"
    url = pg_server.create_database(name)
    migrate(url)
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def database_url(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """A fresh, migrated database of this test's own."""
    name = f"backroom_test_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name, template=pg_template)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(scope="module")
def module_database_url(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """A fresh, migrated database shared by one test module."""
    name = f"backroom_mod_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name, template=pg_template)
    yield url
    pg_server.drop_database(name)


@pytest.fixture
def empty_database_url(pg_server: PgServer) -> Iterator[str]:
    """A database with nothing in it, for testing the migrations themselves."""
    name = f"backroom_empty_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)
