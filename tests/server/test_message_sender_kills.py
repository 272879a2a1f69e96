"""Exactly once under kill -9: the sender killed at random points, restarted, again and
again; then every message is at the SMTP server and the SMS fake, none lost, no SMS twice,
and any email twice only as the same mail (the same Message-ID; docs/messages.md).

The number of kills is ``BACKROOM_KILL_RESTARTS`` (default 10); issue 16's long run:
``BACKROOM_KILL_RESTARTS=1000 pytest tests/server/test_message_sender_kills.py``.
``BACKROOM_KILL_SEED`` replays a run's kill times.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.domain.messages.facts import Facts
from app.domain.messages.templates import Templates
from app.domain.messages.wording import TemplateName
from app.domain.plan_data import venue_from_dict
from app.domain.references import new_reference
from server.db import make_engine, make_sessionmaker
from server.messages.models import OutboxMessage
from server.messages.outbox import enqueue
from tests.server.harness import PLAN, ROOT, VENUE_ID
from tests.sms_fake.plugin import *  # noqa: F403
from tests.smtp_server.plugin import *  # noqa: F403

REFERENCE = re.compile(r"Booking reference: (\S+)")
RESTARTS = int(os.environ.get("BACKROOM_KILL_RESTARTS", "10"))
SEED = int(os.environ.get("BACKROOM_KILL_SEED", str(random.randrange(1 << 30))))
VENUE = venue_from_dict(PLAN["venue"])


def queue_messages(sessions, count: int) -> tuple[set[str], set[str]]:
    """``count`` bookings' confirmations by email and SMS; returns the emails' subjects'
    references and the SMS bodies expected."""
    references, bodies = set(), set()
    with sessions() as session, session.begin():
        for i in range(count):
            reference = new_reference()
            facts = Facts(
                venue=VENUE,
                guest_name=f"Guest {i}",
                reference=reference,
                start=datetime(2027, 3, 6, 21, 0, tzinfo=UTC),
                party_size=2,
            )
            rendered = Templates().render(TemplateName.BOOKING_CONFIRMED, facts)
            enqueue(
                session, venue_id=VENUE_ID, booking_id=None, cause=f"kill-{i}",
                rendered=rendered, email=f"guest{i}@example.org", phone=f"+4477009{i:05d}",
                due_at=datetime.now(UTC),
            )  # fmt: skip
            references.add(f"{reference[:4]}-{reference[4:8]}-{reference[8:]}")
            bodies.add(rendered.sms)
    return references, bodies


@pytest.mark.slow
@pytest.mark.timeout(max(600, RESTARTS * 3))
def test_a_sender_killed_at_random_points_loses_nothing_and_texts_nobody_twice(
    seeded_url, smtp_server, sms_fake, tmp_path
):
    rng = random.Random(SEED)
    engine = make_engine(seeded_url, 2)
    sessions = make_sessionmaker(engine)
    # About one message of each kind per kill, so most kills land while work is left.
    count = max(30, RESTARTS)
    references, bodies = queue_messages(sessions, count)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BACKROOM_DATABASE_URL": seeded_url,
        "BACKROOM_SMTP_HOST": smtp_server.host,
        "BACKROOM_SMTP_PORT": str(smtp_server.port),
        "BACKROOM_SMTP_SECURITY": "plain",
        "BACKROOM_SMTP_FROM": "The Backroom <bookings@backroom.example>",
        "BACKROOM_SMS_ACCOUNT_SID": sms_fake.account_sid,
        "BACKROOM_SMS_AUTH_TOKEN": sms_fake.auth_token,
        "BACKROOM_SMS_FROM_NUMBER": sms_fake.from_number,
        "BACKROOM_SMS_API_BASE": sms_fake.url,
    }
    parent = subprocess.Popen(
        [sys.executable, "-m", "tests.server.sender_fork"],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        stderr=(tmp_path / "sender.log").open("w"),
    )  # fmt: skip
    assert parent.stdin is not None and parent.stdout is not None
    try:
        kills_while_unfinished = 0
        began = time.monotonic()
        for _ in range(RESTARTS):
            ask(parent, "run")
            time.sleep(rng.uniform(0.0, 0.3))
            ask(parent, "kill")
            kills_while_unfinished += unfinished(sessions) > 0
        killing = time.monotonic() - began
        assert ask(parent, "drain") == "0"
        draining = time.monotonic() - began - killing
    finally:
        parent.stdin.close()
        parent.wait(timeout=30)
        engine.dispose()

    texts = Counter(m["body"] for m in sms_fake.sent())
    mails = smtp_server.recorder.messages()
    ids = Counter(m["Message-ID"] for m in mails)
    mailed = {ref for m in mails for ref in REFERENCE.findall(m.get_body(("plain",)).get_content())}
    twice = sum(n - 1 for n in ids.values())
    print(
        f"\nseed {SEED}: {RESTARTS} kills ({kills_while_unfinished} with work left), "
        f"{count} emails + {count} SMS in {killing:.0f} s + {draining:.0f} s; SMS sent twice: "
        f"{sum(n - 1 for n in texts.values())}; emails delivered twice (same Message-ID): {twice}"
    )
    with make_sessionmaker(make_engine(seeded_url, 1))() as session:
        statuses = dict(
            session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        problems = set(session.scalars(select(OutboxMessage.last_error)))
    log = (tmp_path / "sender.log").read_text()[-3000:]
    assert statuses == {"sent": 2 * count}, f"{problems}\n{log}"
    assert set(texts) == bodies, "an SMS was lost"
    assert max(texts.values()) == 1, "an SMS was sent twice"
    assert mailed == references, "an email was lost"
    assert len(ids) == count
    assert twice <= RESTARTS


def ask(parent: subprocess.Popen, command: str) -> str:
    parent.stdin.write(command + "\n")
    parent.stdin.flush()
    return parent.stdout.readline().strip()


def unfinished(sessions) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))
        )
