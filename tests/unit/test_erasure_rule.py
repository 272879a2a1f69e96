"""What forgetting a guest erases, what it keeps, and when it must wait: the domain's
one meaning, which the server applies to every table."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.domain.booking import BookingStatus, DepositState
from app.domain.consent import Channel, ConsentRecord
from app.domain.customer import Customer
from app.domain.erasure import (
    Traces,
    erased_booking,
    erased_customer,
    erasure_refusal,
    scrubbed,
)
from tests.unit.bookings import a_booking

S = BookingStatus
LONDON = ZoneInfo("Europe/London")
# A Saturday night in July: 20:00 in Leeds.
NIGHT = datetime(2027, 7, 3, 19, 0, tzinfo=UTC)
ADA = Customer(
    id="c", name="Ada Lovelace", phone="+447911123456", email="ada@example.org", vip=True,
    tags=("regular",), notes="Likes the booth",
    consent=(ConsentRecord(Channel.SMS, True, NIGHT, "marketing-sms", 2, "Sam"),),
)  # fmt: skip
TRACES = Traces(
    customer_ids=frozenset({"c"}),
    booking_ids=frozenset({"b1"}),
    addresses=frozenset({"+447911123456", "ada@example.org"}),
)


def test_an_erased_guest_keeps_only_their_record_id():
    erased = erased_customer(ADA)

    assert (erased.id, erased.name, erased.phone, erased.email) == ("c", "Erased guest", "", None)
    assert (erased.vip, erased.tags, erased.notes, erased.consent) == (False, (), "", ())


def test_an_erased_booking_keeps_the_party_the_time_the_table_and_the_money():
    b = a_booking(
        NIGHT, S.COMPLETED, special_requests="Nut allergy", occasion="Ada's 30th",
        notes="Friend of the owner", deposit_state=DepositState.PAID, deposit_pence=4000,
    )  # fmt: skip

    erased = erased_booking(b)

    assert (erased.special_requests, erased.occasion, erased.notes) == ("", "", "")
    assert (erased.party_size, erased.start, erased.table_ids, erased.status) == (
        4, NIGHT, ("t1",), S.COMPLETED
    )  # fmt: skip
    assert (erased.deposit_state, erased.deposit_pence) == (DepositState.PAID, 4000)


@pytest.mark.parametrize("status", [S.PENDING, S.CONFIRMED, S.SEATED, S.WAITLISTED, S.CONFLICT])
def test_a_guest_with_a_booking_not_yet_settled_must_wait_and_is_told_which(status):
    said = erasure_refusal("Ada Lovelace", [a_booking(NIGHT, status)], LONDON)

    assert said == (
        f"Ada Lovelace still has booking ABCD-EFGH-JK0 ({status.value}, Sat 03 Jul 20:00). "
        "Complete, cancel or mark each as a no-show first: an erased guest could not be "
        "recognised at the door."
    )


@pytest.mark.parametrize(
    "state", [DepositState.REQUESTED, DepositState.HELD, DepositState.CARD_SAVED]
)
def test_a_deposit_still_open_must_be_settled_first(state):
    said = erasure_refusal(
        "Ada Lovelace", [a_booking(NIGHT, S.CANCELLED, deposit_state=state)], LONDON
    )

    assert said is not None and said.startswith("A deposit of Ada Lovelace's is still open")


def test_settled_bookings_and_money_let_the_guest_be_erased():
    settled = [
        a_booking(NIGHT, S.COMPLETED, deposit_state=DepositState.PAID),
        a_booking(NIGHT, S.NO_SHOW, deposit_state=DepositState.CLAIMED),
        a_booking(NIGHT, S.CANCELLED, deposit_state=DepositState.RELEASED),
    ]

    assert erasure_refusal("Ada Lovelace", settled, LONDON) is None


def test_many_waiting_bookings_are_named_three_at_a_time():
    waiting = [a_booking(NIGHT.replace(day=d), S.CONFIRMED, id=f"b{d}") for d in range(1, 6)]

    said = erasure_refusal("Ada Lovelace", waiting, LONDON)

    assert said is not None
    assert "bookings ABCD-EFGH-JK0 (confirmed, Thu 01 Jul 20:00), " in said
    assert "Sat 03 Jul 20:00) and 2 more." in said


def test_a_kept_copy_of_the_guests_booking_loses_who_they_are_and_the_words():
    created = {
        "reference": "ABCDEFGHJK0",
        "customer": {"id": "c", "name": "Ada Lovelace", "phone": "+447911123456",
                     "email": "ada@example.org", "notes": "Likes the booth"},
        "special_requests": "Nut allergy",
        "party_size": 4,
    }  # fmt: skip

    assert scrubbed(created, TRACES) == {
        "reference": "ABCDEFGHJK0",
        "customer": {"id": "c", "name": "Erased guest", "phone": "", "email": None, "notes": ""},
        "special_requests": "",
        "party_size": 4,
    }


def test_another_guests_booking_in_the_same_copy_keeps_every_word():
    conflict = {
        "mine": {"booking_id": "b1", "special_requests": "Nut allergy"},
        "theirs": {"booking_id": "b2", "special_requests": "Grace's birthday"},
        "message": "Table 7 is taken",
    }

    assert scrubbed(conflict, TRACES, owned=True) == {
        "mine": {"booking_id": "b1", "special_requests": ""},
        "theirs": {"booking_id": "b2", "special_requests": "Grace's birthday"},
        "message": "Table 7 is taken",
    }


def test_staffs_reason_for_a_cancel_or_a_refund_of_their_booking_is_words_about_them():
    cancel = {"reason": "guest cancelled: Ada's flight was late", "party_size": 2}

    assert scrubbed(cancel, TRACES, owned=True) == {"reason": "", "party_size": 2}
    assert scrubbed(cancel, TRACES) == cancel  # another guest's booking keeps its reason


def test_an_edit_of_their_booking_loses_its_words_where_only_the_event_names_the_booking():
    edit = {"notes": "Ada rang: running late", "party_size": 5, "sent_to": "+447911123456"}

    assert scrubbed(edit, TRACES, owned=True) == {"notes": "", "party_size": 5, "sent_to": ""}
    assert scrubbed(edit, TRACES) == {**edit, "sent_to": ""}
