"""The push path's pipelines (server.sync.pipeline) against a real PostgreSQL.

psycopg's own conversion of %(name)s placeholders is kept here for every statement
text, however long; these tests make sure a kept conversion only ever answers for its
own text, that the tables' lock statement locks exactly the tables it names, that the
bookings in the tables' way are found exactly and keep their plan, as do a push's
checks, and that a desk's pull leaves the pushes' prepared statements in place.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from server.sync.pipeline import pipelined
from server.sync.placement import in_the_way_read, tables_lock
from server.sync.push import CHECKS
from tests.postgres import PgServer
from tests.server.harness import FakeClock, Seed, start_server


@pytest.fixture
def session(seeded_url: str) -> Iterator[Session]:
    engine = create_engine(seeded_url)
    with Session(engine) as s:
        yield s
    engine.dispose()


NAMES = [f"p{i}" for i in range(60)]


def _long(factor: int) -> str:
    """A statement over 4 kB with 60 parameters (psycopg's own cache leaves it out), each
    column its parameter times ``factor``."""
    columns = ", ".join(f"CAST(%({n})s AS integer) * {factor} AS {n}" for n in NAMES)
    padding = " ".join(f"/* {factor} {i:04d} */" for i in range(200))
    return f"SELECT {columns} {padding}"


def test_a_long_statement_with_many_parameters_answers_with_each_run_s_own_values(
    session: Session,
) -> None:
    runs = [(2, 0), (2, 1000), (3, 5), (2, 7), (3, 0)]
    assert len(_long(2)) == len(_long(3)) > 4096
    for factor, base in runs:
        params = {n: base + i for i, n in enumerate(NAMES)}
        (rows,) = pipelined(session, (_long(factor), params))
        assert rows == [{n: v * factor for n, v in params.items()}]
    session.rollback()


def test_a_statement_missing_a_parameter_is_refused_even_once_its_text_is_known(
    session: Session,
) -> None:
    sql = _long(3)
    pipelined(session, (sql, dict.fromkeys(NAMES, 1)))
    session.rollback()
    with pytest.raises((DBAPIError, psycopg.ProgrammingError), match="p59"):
        pipelined(session, (sql, dict.fromkeys(NAMES[:-1], 1)))


def test_the_tables_lock_locks_exactly_the_tables_it_names_in_id_order(
    session: Session, seeded_url: str, pg_server: PgServer
) -> None:
    ids = [row[0] for row in session.execute(text("SELECT id FROM tables ORDER BY number"))]
    assert len(ids) >= 4
    for chosen in ([ids[2]], [ids[3], ids[0]], [ids[1], ids[3], ids[0], ids[1]]):
        (locked,) = pipelined(session, tables_lock(chosen))
        assert [r["id"] for r in locked] == sorted(set(chosen))
        other_desk = pg_server.conninfo(make_url(seeded_url).database or "postgres")
        with psycopg.connect(other_desk, autocommit=True) as other:
            for table in ids:
                try:
                    other.execute(
                        "SELECT id FROM tables WHERE id = %s FOR NO KEY UPDATE NOWAIT", (table,)
                    )
                    held = False
                except psycopg.errors.LockNotAvailable:
                    held = True
                assert held == (table in chosen), table
        session.rollback()


def test_the_tables_lock_is_one_statement_text_per_number_of_tables() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    one, two = tables_lock([a]), tables_lock([b, a, b])
    assert one[0] != two[0]
    assert tables_lock([b])[0] == one[0]
    assert two[1] == dict(zip(["t0", "t1"], sorted([a, b]), strict=True))


START = datetime(2027, 3, 2, 19, 0, tzinfo=UTC)
# Bookings straight into the tables, as many as the push benchmark's backlog (a few weeks
# of The Backroom's): with fewer, PostgreSQL's statistics may not make a plan that sees
# the span look cheaper than the generic one, and the plan test could not fail.
_BOOK_MANY = """
WITH t AS (SELECT id, row_number() OVER (ORDER BY number) - 1 AS i, count(*) OVER () AS n
           FROM tables),
b AS (INSERT INTO bookings (id, venue_id, reference, customer_id, party_size, start,
        duration_minutes, status, table_ids, combined, special_requests, occasion, notes,
        priority_score, deposit_state, deposit_pence, source, version)
      SELECT gen_random_uuid(), :venue, 'BULK' || g, :guest, 2,
        :start + (g / t.n) * interval '1 day', 90, 'confirmed', ARRAY[t.id], false, '', '',
        '', 0, 'not_required', 0, 'phone', 0
      FROM generate_series(0, :count - 1) g JOIN t ON t.i = g % t.n
      RETURNING id, venue_id, table_ids[1] AS table_id, start, duration_minutes)
INSERT INTO booking_tables (booking_id, table_id, venue_id, during)
SELECT id, table_id, venue_id, tstzrange(start, start + duration_minutes * interval '1 minute')
FROM b
"""


def _booked(session: Session, count: int) -> list[uuid.UUID]:
    """``count`` bookings, one a day on each table from START; the tables by number."""
    venue = session.execute(text("SELECT id FROM venues")).scalar_one()
    guest = uuid.uuid4()
    session.execute(
        text(
            "INSERT INTO customers (id, venue_id, name, phone, vip, tags, notes, consent, "
            "version) VALUES (:id, :venue, 'Bulk Guest', '', false, '{}', '', '{}', 0)"
        ),
        {"id": guest, "venue": venue},
    )
    params = {"venue": venue, "guest": guest, "start": START, "count": count}
    session.execute(text(_BOOK_MANY), params)
    session.commit()
    session.execute(text("ANALYZE bookings"))
    session.execute(text("ANALYZE booking_tables"))
    session.commit()
    return [row[0] for row in session.execute(text("SELECT id FROM tables ORDER BY number"))]


def _held(session: Session, table: uuid.UUID, day: int) -> uuid.UUID:
    return session.execute(
        text("SELECT booking_id FROM booking_tables WHERE table_id = :t AND lower(during) = :at"),
        {"t": table, "at": START + timedelta(days=day)},
    ).scalar_one()


def test_the_bookings_in_the_way_are_exactly_those_holding_the_tables_then(
    session: Session,
) -> None:
    tables = _booked(session, 200)
    first, second = _held(session, tables[0], 3), _held(session, tables[1], 3)
    at = START + timedelta(days=3, minutes=60)  # the last half hour of both
    (found,) = pipelined(session, in_the_way_read([tables[0]], at, 90, [uuid.uuid4()]))
    assert [r["id"] for r in found] == [first]
    (found,) = pipelined(session, in_the_way_read(tables[:2], at, 90, [uuid.uuid4()]))
    assert [r["id"] for r in found] == sorted([first, second])
    session.rollback()
    just_after = START + timedelta(days=3, minutes=90)
    (found,) = pipelined(session, in_the_way_read([tables[0]], just_after, 30, [uuid.uuid4()]))
    assert found == []
    (found,) = pipelined(session, in_the_way_read([tables[0]], at, 90, [first]))
    assert found == []  # a booking is never in its own way
    (found,) = pipelined(session, in_the_way_read(tables[:2], at, 90, [first, uuid.uuid4()]))
    assert [r["id"] for r in found] == [second]  # nor in the way of one moving with it
    session.rollback()


def test_a_booking_in_the_way_is_read_while_a_row_pointing_at_it_is_being_written(
    session: Session, seeded_url: str, pg_server: PgServer
) -> None:
    # Writing a row that points at a booking (a guest message marked sent, its tables)
    # takes KEY SHARE on the booking for the foreign key. The bookings in the way are
    # locked as any writer of a booking locks it, which leaves that lock alone: locked FOR
    # UPDATE, a new booking's push waited for the sender, and the two could deadlock.
    tables = _booked(session, 20)
    held = _held(session, tables[0], 1)
    at = START + timedelta(days=1, minutes=60)
    sender = pg_server.conninfo(make_url(seeded_url).database or "postgres")
    with psycopg.connect(sender) as other:
        other.execute("SELECT 1 FROM bookings WHERE id = %s FOR KEY SHARE", (held,))
        session.execute(text("SET LOCAL lock_timeout = '2s'"))
        (found,) = pipelined(session, in_the_way_read([tables[0]], at, 90, [uuid.uuid4()]))
        assert [r["id"] for r in found] == [held]
        other.rollback()
    session.rollback()


def test_the_bookings_in_the_way_are_planned_once_not_on_every_push(
    session: Session,
) -> None:
    tables = _booked(session, 6000)
    for day in range(16):
        # Evenings after the bookings held, as most new bookings are: a plan that sees the
        # span expects nobody in the way there, and looked cheaper than the generic one.
        at = START + timedelta(days=1000 + day, minutes=30)
        pipelined(session, in_the_way_read([tables[day % 4]], at, 90, [uuid.uuid4()]))
        session.commit()  # psycopg forgets its prepared statements on a rollback
    # psycopg prepares a statement after five runs on a connection; PostgreSQL then
    # plans five times for the values given before it weighs the generic plan, and
    # keeps planning for the values if those plans look cheaper (11 custom, 0 generic).
    custom, generic = session.execute(
        text(
            "SELECT custom_plans, generic_plans FROM pg_prepared_statements "
            "WHERE statement LIKE '%FROM booking_tables%'"
        )
    ).one()
    assert custom <= 5
    assert generic >= 1


def test_a_desk_s_pull_leaves_the_pushes_prepared_statements_in_place(
    seeded_url: str, seeded: tuple[str, Seed]
) -> None:
    # One connection in the pool, so the pushes and the pull share it.
    with start_server(seeded_url, FakeClock(), seeded[1], pool_size=1) as server:
        desk = server.desk()
        for n in range(7):  # psycopg prepares a statement at its sixth run
            outcome = desk.push_one(desk.create(n + 1, start=START + timedelta(days=n)))
            assert outcome["outcome"] == "applied"

        def prepared() -> int:
            with server.app.state.engine.connect() as conn:
                count = conn.execute(text("SELECT count(*) FROM pg_prepared_statements"))
                kept = int(count.scalar_one())
                conn.commit()
            return kept

        before = prepared()
        assert before >= 5  # the push's own statements, at least
        desk.pull()
        assert prepared() >= before


def test_a_push_s_checks_are_planned_once_not_on_every_push(
    seeded_url: str, seeded: tuple[str, Seed]
) -> None:
    # A few weeks of a venue's audit trail, as in the push benchmark: with a handful of
    # events PostgreSQL's statistics made both plans look alike, and the test could not fail.
    engine = create_engine(seeded_url)
    _bulk_audit(engine, 6000)
    engine.dispose()
    # One connection in the pool, so every push runs its checks on it.
    with start_server(seeded_url, FakeClock(), seeded[1], pool_size=1) as server:
        desk = server.desk()
        for n in range(16):
            outcome = desk.push_one(desk.create(2, start=START + timedelta(days=n)))
            assert outcome["outcome"] == "applied"
        with server.app.state.engine.connect() as conn:
            custom, generic = conn.execute(
                text(
                    "SELECT custom_plans, generic_plans FROM pg_prepared_statements "
                    "WHERE statement LIKE '%audit_taken%'"
                )
            ).one()
            conn.commit()
    # Planned for the desk's own audit ids, the statement looked cheaper than its generic
    # plan (an array of unknown length), and was planned anew on every push: 0.34 ms of
    # PostgreSQL's CPU each time, more than it takes to run.
    assert custom <= 5
    assert generic >= 1


def _bulk_audit(engine: Engine, count: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (id, venue_id, device_id, seq, at, staff_id, "
                "staff_name, action, entity, entity_id, prev_hash, hash) "
                "SELECT gen_random_uuid(), v.id, NULL, g, :at, gen_random_uuid(), 'Bulk', "
                "'create', 'booking', gen_random_uuid(), '', '' "
                "FROM venues v, generate_series(1, :count) g"
            ),
            {"at": START, "count": count},
        )
        conn.execute(text("ANALYZE audit_events"))


def test_a_push_s_checks_find_taken_audit_ids_by_index_when_planned_on_a_short_trail(
    seeded_url: str,
) -> None:
    # A kept generic plan is not weighed again until the table's statistics change. Planned
    # on a trail of a few hundred events, `id = ANY(ids)` read the whole trail, and kept
    # reading it as it grew: 0.23 ms of PostgreSQL's CPU per push after 2,000 more, three
    # times the rest of the checks (benchmarks/push_profile.py).
    engine = create_engine(seeded_url)
    _bulk_audit(engine, 300)
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", CHECKS)))
    numbered = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m.group(1)) + 1}", CHECKS)
    types = {"mutation": "uuid", "staff": "uuid", "audit": "uuid[]", "venue": "uuid"}
    values = {"audit": f"'{{{uuid.uuid4()}}}'"}
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("SET plan_cache_mode = force_generic_plan")
        raw.execute(f"PREPARE checks ({', '.join(types[n] for n in names)}) AS {numbered}")
        given = ", ".join(values.get(n, f"'{uuid.uuid4()}'") for n in names)
        plan = "\n".join(str(row[0]) for row in raw.execute(f"EXPLAIN EXECUTE checks({given})"))
        raw.rollback()
    engine.dispose()
    assert "audit_events" in plan
    assert "Seq Scan on audit_events" not in plan
