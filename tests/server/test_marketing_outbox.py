"""The outbox on the real PostgreSQL sends marketing only where the guest said yes;
the messages of today (all transactional) need no consent."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.domain.consent import Channel, asked
from app.domain.messages.facts import Facts
from app.domain.messages.templates import Templates
from app.domain.messages.wording import TemplateName
from app.domain.plan_data import venue_from_dict
from server.db import make_engine, make_sessionmaker
from server.messages.models import OutboxMessage
from server.messages.outbox import enqueue
from tests.conftest import START
from tests.server.harness import PLAN, VENUE_ID

GUEST_PHONE, GUEST_EMAIL = "+447700900123", "priya@example.org"


@pytest.fixture
def sessions(seeded_url):
    engine = make_engine(seeded_url, 2)
    yield make_sessionmaker(engine)
    engine.dispose()


def message(*, marketing: bool):
    facts = Facts(
        venue=venue_from_dict(PLAN["venue"]),
        guest_name="Priya Shah",
        reference="7KQ2M9XPRT4",
        start=datetime(2027, 3, 6, 0, 30, tzinfo=UTC),
        party_size=4,
    )
    # No template markets today: a future one is a rendered message marked so.
    return replace(Templates().render(TemplateName.BOOKING_CREATED, facts), marketing=marketing)


def queued_channels(sessions, *, marketing: bool, consent=()) -> list[str]:
    cause = str(uuid.uuid4())
    with sessions() as session, session.begin():
        enqueue(
            session,
            venue_id=VENUE_ID,
            booking_id=None,
            cause=cause,
            rendered=message(marketing=marketing),
            email=GUEST_EMAIL,
            phone=GUEST_PHONE,
            due_at=START,
            consent=consent,
        )
    with sessions() as session:
        rows = session.scalars(
            select(OutboxMessage.channel).where(OutboxMessage.idempotency_key.like(f"{cause}:%"))
        )
        return sorted(rows)


def test_a_transactional_message_goes_to_both_channels_without_any_consent(sessions):
    assert queued_channels(sessions, marketing=False) == ["email", "sms"]


def test_a_marketing_message_is_refused_for_a_guest_who_never_said_yes(sessions):
    assert queued_channels(sessions, marketing=True) == []


def test_a_marketing_message_goes_only_to_the_channel_the_guest_said_yes_to(sessions):
    consent = [asked(Channel.EMAIL, True, START, "Sam"), asked(Channel.SMS, False, START, "Sam")]

    assert queued_channels(sessions, marketing=True, consent=consent) == ["email"]
