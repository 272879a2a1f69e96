"""Shared test set-up: Qt offscreen, Hypothesis's profiles, a controllable clock,
The Backroom's data."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The desk's log and crash reports, away from the user's own (app.config.log_dir).
os.environ.setdefault(
    "BACKROOM_LOG_DIR", os.path.join(tempfile.gettempdir(), f"backroom-test-logs-{os.getpid()}")
)
# Each pytest-xdist worker in a folder of its own: one rotating log written by two
# processes loses lines at each rollover.
if "PYTEST_XDIST_WORKER" in os.environ:
    os.environ["BACKROOM_LOG_DIR"] = os.path.join(
        os.environ["BACKROOM_LOG_DIR"], os.environ["PYTEST_XDIST_WORKER"]
    )

from app.domain.plan_data import floor_plan_from_dict, venue_from_dict
from app.models.uow import Store
from app.services.demo import ensure_venue
from resources import BACKROOM_JSON
from tests.stripe_fake.plugin import _localstripe_url, _stripe_fake_url, localstripe, stripe_fake  # noqa: F401

# CI never checks fewer examples than a developer's run does, and the whole suite
# has no room for more within CI's budget, so both run the same number. CI draws
# new examples on every run, as a developer's run does (a derandomised run would
# look at the same few forever), keeps no example database and prints the blob
# that reproduces a failure. For a longer hunt: pytest --hypothesis-profile=thorough.
EXAMPLES = 60
# On Hypothesis's defaults, not on whichever profile it loaded by itself on seeing CI set.
BASE = settings.get_profile("default")
settings.register_profile(
    "ci", BASE, max_examples=EXAMPLES, deadline=None, database=None, print_blob=True
)
settings.register_profile("dev", BASE, max_examples=EXAMPLES, deadline=None)
settings.register_profile("thorough", BASE, max_examples=20 * EXAMPLES, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


class FakeClock:
    """A clock the test moves by hand: the port every use case takes."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def backroom_data() -> dict:
    return json.loads(BACKROOM_JSON.read_text())


@pytest.fixture
def venue(backroom_data):
    return venue_from_dict(backroom_data["venue"])


@pytest.fixture
def plan(backroom_data):
    return floor_plan_from_dict(backroom_data)


# A Wednesday afternoon, before the night's service: where every test's clock starts.
START = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def at_start() -> datetime:
    """What "now" is for a command run in-process: ``app.cli.main(..., clock=at_start)``."""
    return START


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture(scope="session")
def venue_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file made by the real migrations, with The Backroom and its staff loaded at
    START: each test's desk is a copy (migrating and hashing the demo PINs, slow on
    purpose, take a third of a second a file)."""
    path = tmp_path_factory.mktemp("template") / "venue.db"
    store = Store(path)
    ensure_venue(store, FakeClock(START))
    store.close()
    return path


# What a test measured and reports (``record_property("figure", "...")``), printed in the
# run's summary. A test's own print is lost under pytest-xdist; its report's properties
# reach the controller, whose summary this is.
FIGURES: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        FIGURES.extend(str(value) for name, value in report.user_properties if name == "figure")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`./scripts/test`'s default), the slow tests start first.

    Work stealing hands the fast ones to whichever worker is free, so the run ends
    when the slowest test does, not a slow test's length after everything else.
    A run in one process (`-n 0`) keeps the files' order. (trylast: after the conftests
    below have marked their tests.)
    """
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)
