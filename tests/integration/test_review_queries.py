"""The review reads its nights by index: every query it runs, with its EXPLAIN QUERY PLAN."""

import sqlite3
from datetime import date

from sqlalchemy import event

from app.domain.review_kpis import history_days

SATURDAY = date(2026, 11, 28)


def plans_of_the_queries_run_by(store, db_path, read):
    seen: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(store.reader, "before_cursor_execute", capture)
    try:
        with store.read() as reader:
            read(reader)
    finally:
        event.remove(store.reader, "before_cursor_execute", capture)
    with sqlite3.connect(db_path) as conn:
        return [
            (sql, [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)])
            for sql, params in seen
        ]


def test_the_review_of_a_night_and_its_twelve_weeks_searches_by_index_and_scans_nothing(
    store, db_path
):
    days = [SATURDAY, *history_days(SATURDAY)]

    plans = plans_of_the_queries_run_by(store, db_path, lambda r: r.review.nights(days))

    steps = [step for _sql, plan in plans for step in plan]
    assert "SEARCH booking USING INDEX ix_booking_day_start (service_day=?)" in steps
    assert "SEARCH audit_event USING INDEX ix_audit_event_entity_id (entity_id=?)" in steps
    assert "SEARCH waitlist_freed USING INDEX ix_waitlist_freed_day_open (service_day=?)" in steps
    assert "SEARCH waitlist_offer USING INDEX ix_waitlist_offer_freed_id (freed_id=?)" in steps
    assert "SEARCH sync_conflict USING INDEX ix_sync_conflict_booking_id (booking_id=?)" in steps
    # (An empty list of bookings is SQLAlchemy's constant-row subquery, not a table.)
    assert [s for s in steps if s.startswith("SCAN") and not _constant(s)] == []


def _constant(step):
    return step in ("SCAN CONSTANT ROW", "SCAN (subquery-1)")


def test_a_bookings_history_reads_its_audit_events_and_intents_by_index(store, db_path):
    booking_id = "00000000-0000-0000-0000-000000000000"

    def read(reader):
        reader.history.answers(booking_id, reader.history.events_of(booking_id))

    plans = plans_of_the_queries_run_by(store, db_path, read)

    steps = [step for _sql, plan in plans for step in plan]
    assert "SEARCH audit_event USING INDEX ix_audit_event_entity_id (entity_id=?)" in steps
    assert "SEARCH outbox USING INDEX ix_outbox_entity_id (entity_id=?)" in steps
    assert "SEARCH sync_outcome USING INDEX ix_sync_outcome_entity_id (entity_id=?)" in steps
    # The device table holds this desk's one row.
    assert [s for s in steps if s.startswith("SCAN") and s != "SCAN device"] == []


def test_the_history_nights_stamps_are_read_by_index_and_count_events_without_reading_them(
    store, db_path
):
    days = history_days(SATURDAY)

    plans = plans_of_the_queries_run_by(store, db_path, lambda r: r.review.stamps(days))

    steps = [step for _sql, plan in plans for step in plan]
    assert "SEARCH booking USING INDEX ix_booking_day_start (service_day=?)" in steps
    assert "SEARCH audit_event USING COVERING INDEX ix_audit_event_entity_id (entity_id=?)" in steps
    assert "SEARCH deposit_ledger USING INDEX ix_deposit_ledger_booking_id (booking_id=?)" in steps
    assert "SEARCH waitlist_freed USING INDEX ix_waitlist_freed_day_open (service_day=?)" in steps
    assert [s for s in steps if s.startswith("SCAN")] == []
