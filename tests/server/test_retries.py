"""A serialization failure or deadlock retries the intent's transaction (boundedly)."""

from __future__ import annotations

from sqlalchemy import text

from server.sync.push import ATTEMPTS

# PostgreSQL itself raises a real serialization failure (SQLSTATE 40001) on the
# first `failing` inserts of an outcome; a sequence counts attempts across the
# rolled-back transactions.
INJECT = """
CREATE SEQUENCE attempts;
CREATE FUNCTION fail_first_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF nextval('attempts') <= {failing} THEN
    RAISE EXCEPTION 'could not serialize access (injected by the test)'
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER fail_first_attempts BEFORE INSERT ON intent_outcomes
  FOR EACH ROW EXECUTE FUNCTION fail_first_attempts();
"""


def inject(server, failing):
    with server.app.state.engine.begin() as conn:
        conn.exec_driver_sql(INJECT.format(failing=failing))


def stored(server, sql):
    with server.app.state.sessions() as session:
        return session.execute(text(sql)).scalar_one()


def test_an_intent_whose_transaction_hits_serialization_failures_is_applied_once(server):
    desk = server.desk()
    inject(server, failing=2)

    outcome = desk.push_one(desk.create(7, party=4))

    assert outcome["outcome"] == "applied"
    assert stored(server, "SELECT last_value FROM attempts") == 3
    assert stored(server, "SELECT count(*) FROM intent_outcomes") == 1
    assert len(desk.bookings()) == 1


def test_an_intent_that_keeps_failing_gets_503_and_nothing_is_kept_until_it_is_sent_again(
    server,
):
    desk = server.desk()
    intent = desk.create(7, party=4)
    inject(server, failing=ATTEMPTS)

    busy = desk.push(intent, expect=503)
    attempts = stored(server, "SELECT last_value FROM attempts")
    kept = stored(server, "SELECT count(*) FROM bookings")
    outcome = desk.push_one(intent)

    assert "try again shortly" in busy["detail"]
    assert attempts == ATTEMPTS
    assert kept == 0
    assert outcome["outcome"] == "applied"
