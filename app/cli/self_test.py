"""``backroom --self-test``: can this computer run the desk? Each check on a throwaway desk.

It never opens the desk's real file: the database, the booking and the picture live in a
temporary folder that is removed afterwards; the keyring entry is written and deleted.
"""

from __future__ import annotations

import tempfile
import threading
import uuid
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from app.services.desk import Desk

STEP_SECONDS = 60.0
T = TypeVar("T")


class CheckFailed(Exception):
    """A check ran to the end and found something wrong."""


class TimedOut(Exception):
    pass


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, or ``TimedOut`` if it has not finished (a locked disk, a keyring prompt)."""
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as error:
            failed.append(error)

    # A daemon thread: one stuck in a system call must not keep the process alive.
    worker = threading.Thread(target=run, name="self-test", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut(f"did not finish within {seconds:.0f} s")
    if failed:
        raise failed[0]
    return done[0]


def _database(folder: Path, opened: list[Desk]) -> str:
    from app.models.migrate import newest_revision
    from app.models.uow import Store
    from app.services.common import system_clock
    from app.services.demo import ensure_venue
    from app.services.desk import Desk

    store = Store(folder / "self-test.sqlite3", create=True)
    opened.append(Desk(store))
    ensure_venue(store, system_clock)
    return f"a new desk migrated to schema {newest_revision()}, The Backroom loaded"


def _booking(desk: Desk) -> str:
    from app.domain.permissions import Role
    from app.domain.references import format_reference
    from app.services.booking_create import NewBooking

    manager = next(s for s in desk.auth.staff() if s.role is Role.MANAGER)
    day = desk.queries.tonight() + timedelta(days=1)
    start = desk.queries.venue().venue.wall_time_on(day, time(19, 0))
    made = desk.create.create_booking(
        manager, NewBooking(name="Self Test", phone="0113 496 0001", party_size=2, start=start)
    ).booking
    found, ref = desk.queries.booking(made.id), format_reference(made.reference)
    if found is None or found.customer.name != "Self Test":
        raise CheckFailed(f"booking {ref} was written but could not be read back")
    return f"{ref} written and read back"


def _audit(desk: Desk) -> str:
    from app.models.audit_check import check_audit

    with desk.store.read() as reader:
        report = check_audit(reader.session)
    if not report.intact:
        raise CheckFailed("; ".join(report.problems))
    return f"chain intact, {report.checked} event(s) verified"


def _keyring() -> str:
    import keyring

    from app.sync.credentials import DeviceCredentials

    backend = type(keyring.get_keyring())
    name = f"{backend.__module__}.{backend.__qualname__}"
    secret = uuid.uuid4().hex
    credentials = DeviceCredentials(f"self-test-{uuid.uuid4()}", service="backroom-self-test")
    credentials.save(secret)  # NoKeyring says plainly that there is none
    try:
        if credentials.token() != secret:
            raise CheckFailed(f"{name} gave back a different secret")
    finally:
        credentials.forget()
    return f"a secret saved, read and deleted ({name})"


def _floor_plan(desk: Desk, folder: Path) -> str:
    from app.views.floor_plan.snapshot import render_floor_plan

    png = folder / "floor-plan.png"
    tables = render_floor_plan(desk.queries, png)
    if tables == 0 or png.stat().st_size == 0:
        raise CheckFailed("the floor plan came out empty")
    return f"{tables} tables drawn to a {png.stat().st_size} byte PNG"


def self_test(seconds: float = STEP_SECONDS) -> int:
    """Print one line per check; 0 when every check passed, 1 otherwise."""
    failures = 0

    def check(name: str, work: Callable[[], str], *, main_thread: bool = False) -> bool:
        nonlocal failures
        try:
            detail = work() if main_thread else within(seconds, work)
        except Exception as error:
            failures += 1
            print(f"FAIL  {name}: {str(error) or type(error).__name__}")
            return False
        print(f"ok    {name}: {detail}")
        return True

    # A step that timed out may still hold the file open: leave it rather than crash.
    with tempfile.TemporaryDirectory(
        prefix="backroom-self-test-", ignore_cleanup_errors=True
    ) as tmp:
        folder = Path(tmp)
        opened: list[Desk] = []
        if check("database", lambda: _database(folder, opened)):
            desk = opened[0]
            check("booking", lambda: _booking(desk))
            check("audit", lambda: _audit(desk))
            # Qt draws only on the thread that made its application: no timeout here.
            check("floor plan", lambda: _floor_plan(desk, folder), main_thread=True)
        else:
            print("skip  booking, audit, floor plan: there is no desk to use")
        check("keyring", _keyring)
        for desk in opened:
            desk.store.close()
    print("Self-test passed." if failures == 0 else f"Self-test FAILED: {failures} check(s).")
    return 0 if failures == 0 else 1
