"""Undoing a cancel is the one way out of "cancelled", and only as the booking was."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain import kernel
from app.domain.booking import Booking, BookingStatus
from app.domain.errors import DomainError, EditAfterCancel
from app.domain.kernel import ChangedSinceCancel
from app.domain.permissions import Action
from app.protocol import UndoCancelArgs
from app.protocol.meaning import required_actions

S = BookingStatus
NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


@pytest.fixture
def cancelled(plan):
    seven = plan.table_by_number(7).id
    b = Booking(
        id="b1",
        venue_id="v",
        reference="ABCDEFGHJK0",
        customer_id="c",
        party_size=4,
        start=NOW,
        duration_minutes=120,
        status=S.CANCELLED,
        created_at=NOW,
        updated_at=NOW,
        table_ids=(seven,),
        version=12,
    )
    return b


def undo(rules, b, status=S.CONFIRMED, tables=None, version=12):
    return kernel.undo_cancel(
        rules,
        b,
        status=status,
        table_ids=b.table_ids if tables is None else tables,
        cancelled_version=version,
        at=NOW + timedelta(minutes=2),
    )


def test_a_booking_goes_back_to_what_it_was_on_its_tables(rules, cancelled):
    back = undo(rules, cancelled)

    assert (back.status, back.table_ids, back.version) == (S.CONFIRMED, cancelled.table_ids, 12)
    assert back.updated_at == NOW + timedelta(minutes=2)


def test_anything_changed_since_the_cancel_keeps_it_cancelled(rules, cancelled, plan):
    with pytest.raises(ChangedSinceCancel, match="changed since it was cancelled"):
        undo(rules, cancelled, version=13)
    with pytest.raises(ChangedSinceCancel):
        undo(rules, cancelled, version=None)
    with pytest.raises(ChangedSinceCancel):
        undo(rules, cancelled, tables=(plan.table_by_number(6).id,))


def test_only_a_cancelled_booking_and_only_to_a_status_a_cancel_starts_from(rules, cancelled):
    with pytest.raises(DomainError, match="is confirmed, not cancelled"):
        undo(rules, replace(cancelled, status=S.CONFIRMED))
    with pytest.raises(DomainError, match="not seated"):
        undo(rules, cancelled, status=S.SEATED)


def test_cancelled_stays_final_for_every_other_intent(rules, cancelled):
    with pytest.raises(EditAfterCancel):
        kernel.set_status(rules, cancelled, S.CONFIRMED, at=NOW)
    with pytest.raises(EditAfterCancel):
        kernel.move(
            rules, cancelled, table_ids=cancelled.table_ids, start=NOW, duration_minutes=90, at=NOW
        )


def test_whoever_may_cancel_may_undo(cancelled):
    args = UndoCancelArgs(cancel_id="00000000-0000-4000-8000-000000000001", status=S.CONFIRMED)

    assert required_actions(args, cancelled) == [Action.CANCEL]


def test_the_desk_offers_undo_for_five_minutes_after_its_cancel(cancelled):
    kernel.check_undo_window(cancelled, NOW, NOW + timedelta(minutes=5))

    with pytest.raises(DomainError, match="more than 5 minutes ago"):
        kernel.check_undo_window(cancelled, NOW, NOW + timedelta(minutes=5, seconds=1))
