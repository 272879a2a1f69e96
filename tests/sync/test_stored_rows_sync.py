"""Whatever the server can store, its own pull serves and every desk accepts.

One intent that stored a table at NaN once made every later pull unreadable to
every desk of the venue. Here values of every kind — NaN, infinities, huge and
tiny numbers, odd text — are written straight into the server's database; what
the database refuses cannot be served, and what it accepts must reach a desk
whole.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import psycopg
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.sync.status import SyncState
from tests.sync.world import TABLE

WILD = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, 0.0, -0.0, 100_000.0, 2_000.0]
)


def number(low: float, high: float) -> st.SearchStrategy[float]:
    """Mostly values a table could have, sometimes anything a float can be."""
    return st.floats(low, high) | st.floats(low, high) | WILD


texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)


def store(url: str, sql: str, *params: object) -> bool:
    """Write one row under a new version of its venue, as any change does; False if refused.

    ``sql`` takes the version as its last parameter but one, the row's id last.
    """
    try:
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as db:
            (version,) = db.execute(  # type: ignore[misc]
                "UPDATE venue_versions SET version = version + 1 RETURNING version"
            ).fetchone()
            db.execute(sql, (*params[:-1], version, params[-1]))
        return True
    except (psycopg.errors.IntegrityError, psycopg.errors.DataError):
        return False


@functools.cache
def one_desk(desks: Any) -> Any:
    """One desk for a whole test: each example is one more change for it to pull."""
    return desks()


@functools.cache
def one_booking(desks: Any) -> str:
    from tests.sync.test_push_and_pull import book

    desk = one_desk(desks)
    made = book(desk, 9, party=4)
    desk.engine.sync_once()
    return made.booking.id


STORED_ROWS = settings(
    max_examples=25,
    deadline=None,
    # Values the database refuses are filtered out on purpose: they can never be served.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@STORED_ROWS
@given(
    x=number(-1e5, 1e5),
    y=number(-1e5, 1e5),
    width=number(0.5, 2000),
    height=number(0.5, 2000),
    rotation=number(-360, 360),
    name=texts,
)
def test_a_table_the_server_stored_reaches_the_desk_whole(
    desks, sync_db, x, y, width, height, rotation, name
):
    desk = one_desk(desks)
    stored = store(
        sync_db,
        "UPDATE tables SET x = %s, y = %s, width = %s, height = %s, rotation = %s, name = %s, "
        "version = %s WHERE id = %s",
        *(x, y, width, height, rotation, name, TABLE[7]),
    )
    assume(stored)

    status = desk.engine.sync_once()

    assert status.state is not SyncState.NEEDS_ATTENTION, status.detail
    assert desk.engine.cursor() > 0
    with desk.store.read() as reader:
        table = reader.venue.get().plan.table(str(TABLE[7]))
    assert (table.x, table.y, table.width, table.height, table.rotation, table.name) == (
        x,
        y,
        width,
        height,
        rotation,
        name,
    )


@STORED_ROWS
@given(
    party=st.integers(1, 100) | st.integers(1, 100) | st.integers(-(2**31), 2**31 - 1),
    minutes=st.integers(15, 720) | st.integers(15, 720) | st.integers(-(2**31), 2**31 - 1),
    priority=st.integers(0, 1000) | st.integers(0, 1000) | st.integers(-(2**31), 2**31 - 1),
    deposit=st.integers(0, 10**9) | st.integers(-(2**63), 2**63 - 1),
    notes=texts,
    occasion=texts,
)
def test_a_booking_the_server_stored_reaches_the_desk_whole(
    desks, sync_db, party, minutes, priority, deposit, notes, occasion
):
    desk, booking = one_desk(desks), one_booking(desks)
    stored = store(
        sync_db,
        "UPDATE bookings SET party_size = %s, duration_minutes = %s, priority_score = %s, "
        "deposit_pence = %s, notes = %s, occasion = %s, version = %s WHERE id = %s",
        *(party, minutes, priority, deposit, notes, occasion, booking),
    )
    assume(stored)

    status = desk.engine.sync_once()

    assert status.state is not SyncState.NEEDS_ATTENTION, status.detail
    row = desk.bookings()[booking]
    assert (
        row["party_size"],
        row["duration_minutes"],
        row["priority_score"],
        row["deposit_pence"],
        row["notes"],
        row["occasion"],
    ) == (party, minutes, priority, deposit, notes, occasion)
