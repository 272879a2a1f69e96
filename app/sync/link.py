"""Connecting this desk to a central server, and starting its sync when it has one.

A desk with no server configured simply works on its own file: nothing here
runs. The device token never touches the database file (see credentials.py).
"""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.models.tables import DeviceRow
from app.models.uow import Store
from app.sync.client import TIMEOUT, ServerApi
from app.sync.credentials import DeviceCredentials
from app.sync.engine import SyncEngine
from app.sync.runner import SyncRunner
from app.sync.status import SyncMonitor


def server_of(store: Store) -> tuple[str, str | None]:
    """This desk's id and the server it is connected to, if any."""
    with store.read() as reader:
        device = reader.session.scalars(select(DeviceRow)).one()
        return device.id, device.server_url


def engine_for(store: Store, monitor: SyncMonitor | None = None) -> SyncEngine | None:
    device_id, server_url = server_of(store)
    if not server_url:
        return None
    http = httpx.Client(base_url=server_url, timeout=TIMEOUT)
    return SyncEngine(store, ServerApi(http, DeviceCredentials(device_id).token), monitor)


def start_sync(store: Store, monitor: SyncMonitor | None = None) -> SyncRunner | None:
    """Sync on a background thread if this desk is connected; None if it works alone."""
    engine = engine_for(store, monitor)
    if engine is None:
        return None
    # The runner renews the booking form's holds on each cycle.
    runner = SyncRunner(engine, holds=engine.hold_keeper())
    runner.start()
    return runner
