from dataclasses import replace
from datetime import UTC, datetime

from app.domain.audit import GENESIS, seal, verify_chain

AT = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


def chain(n: int):
    events, prev = [], GENESIS
    for seq in range(1, n + 1):
        e = seal(
            id=f"e{seq}",
            device_id="d",
            seq=seq,
            at=AT,
            staff_id="s",
            staff_name="Sam",
            action="create_booking",
            entity="booking",
            entity_id=f"b{seq}",
            before=None,
            after={"party_size": seq},
            prev_hash=prev,
        )
        events.append(e)
        prev = e.hash
    return events


def test_an_untouched_chain_verifies():
    assert verify_chain(chain(5)) is None


def test_an_edited_event_is_named():
    events = chain(5)
    events[2] = replace(events[2], after={"party_size": 99})

    broken = verify_chain(events)

    assert broken.seq == 3 and "changed" in broken.reason


def test_a_deleted_event_is_detected_at_the_next_one():
    events = chain(5)
    del events[1]

    assert verify_chain(events).seq == 3
