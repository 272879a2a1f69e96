"""Marketing consent: opt-in, per channel, the latest answer wins, withdrawals kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.consent import (
    CURRENT,
    GUEST_BY_SMS,
    Channel,
    ConsentRecord,
    asked,
    changed,
    consents,
    current,
    from_json,
    may_send_marketing,
    merged,
    to_json,
    withdrawn_by_stop,
)
from app.domain.customer import Customer
from app.domain.errors import InvalidInput
from app.domain.kernel.customers import booked_customer, upserted_customer
from tests.conftest import START

EMAIL, SMS = Channel.EMAIL, Channel.SMS
LATER = START + timedelta(minutes=5)


def test_a_guest_with_no_record_may_not_be_sent_marketing_on_any_channel():
    assert not may_send_marketing([], EMAIL)
    assert not may_send_marketing([], SMS)


def test_a_yes_by_email_allows_marketing_by_email_only():
    records = [asked(EMAIL, True, START, "Sam")]

    assert may_send_marketing(records, EMAIL)
    assert not may_send_marketing(records, SMS)


def test_a_later_withdrawal_wins_over_an_earlier_yes_whatever_the_order_they_arrive_in():
    yes = asked(SMS, True, START, "Sam")
    no = asked(SMS, False, LATER, "Jo")

    assert not may_send_marketing([yes, no], SMS)
    assert not may_send_marketing([no, yes], SMS)


def test_a_yes_given_after_a_withdrawal_allows_marketing_again():
    records = [asked(SMS, False, START, "Sam"), asked(SMS, True, LATER, "Jo")]

    assert may_send_marketing(records, SMS)


def test_a_yes_and_a_no_at_the_same_instant_mean_no():
    records = [asked(SMS, True, START, "Sam"), asked(SMS, False, START, "Jo")]

    assert not may_send_marketing(records, SMS)


def test_a_stop_reply_withdraws_sms_marketing_and_says_the_guest_did_it():
    records = [asked(SMS, True, START, "Sam"), withdrawn_by_stop(LATER)]

    assert not may_send_marketing(records, SMS)
    last = current(records)[0]
    assert (last.recorded_by, last.sentence) == (
        GUEST_BY_SMS,
        "The guest replied STOP to a text from us.",
    )


def test_each_record_names_the_british_english_sentence_the_guest_was_asked():
    email, sms = asked(EMAIL, True, START, "Sam"), asked(SMS, True, START, "Sam")

    assert email.sentence == "May we send you our news and offers by email?"
    assert sms.sentence == "May we send you our news and offers by text?"
    assert (email.wording_id, email.wording_version) == ("marketing-email", 2)
    assert (sms.wording_id, sms.wording_version) == ("marketing-sms", 2)


def test_the_question_asked_today_names_no_venue_and_an_old_answer_keeps_its_own_words():
    old = ConsentRecord(EMAIL, True, START, "marketing-email", 1, "Sam")

    assert "Backroom" not in asked(EMAIL, True, START, "Sam").sentence
    assert "Backroom" not in asked(SMS, True, START, "Sam").sentence
    assert old.sentence == "May we send you news and offers from The Backroom by email?"


def test_a_record_in_another_zone_is_kept_in_utc():
    paris = timezone(timedelta(hours=1))

    record = asked(EMAIL, True, datetime(2026, 11, 25, 16, 0, tzinfo=paris), "Sam")

    assert record.at == START
    assert record.at.tzinfo is UTC


def test_a_record_without_a_zone_or_with_a_wording_never_asked_is_refused():
    with pytest.raises(InvalidInput, match="zone"):
        asked(EMAIL, True, datetime(2026, 11, 25, 15, 0), "Sam")
    with pytest.raises(InvalidInput, match="was ever asked"):
        ConsentRecord(EMAIL, True, START, "marketing-email", 99, "Sam")
    with pytest.raises(InvalidInput, match="was ever asked"):
        ConsentRecord(EMAIL, True, START, "marketing-sms", 1, "Sam")  # the SMS question


def test_the_current_answer_is_the_latest_per_channel():
    records = [
        asked(EMAIL, True, START, "Sam"),
        asked(SMS, True, START, "Sam"),
        asked(EMAIL, False, LATER, "Jo"),
    ]

    assert consents(records) == {EMAIL: False, SMS: True}
    assert [(r.channel, r.given, r.recorded_by) for r in current(records)] == [
        (EMAIL, False, "Jo"),
        (SMS, True, "Sam"),
    ]


def test_ticking_or_unticking_a_box_makes_a_record_only_for_the_box_that_changed():
    records = [asked(SMS, True, START, "Sam")]

    made = changed(records, {EMAIL: True, SMS: True}, LATER, "Jo")
    unticked = changed(records, {EMAIL: False, SMS: False}, LATER, "Jo")

    assert [(r.channel, r.given, r.at) for r in made] == [(EMAIL, True, LATER)]
    assert [(r.channel, r.given) for r in unticked] == [(SMS, False)]
    assert changed(records, {EMAIL: False, SMS: True}, LATER, "Jo") == ()


def test_records_survive_their_json_unchanged():
    records = (asked(EMAIL, True, START, "Sam"), withdrawn_by_stop(LATER))

    assert from_json(to_json(records)) == records
    assert to_json(records)[0] == {
        "channel": "email",
        "given": True,
        "at": "2026-11-25T15:00:00+00:00",
        "wording_id": "marketing-email",
        "wording_version": 2,
        "recorded_by": "Sam",
    }


def test_the_current_wording_is_the_newest_question_of_each_channel():
    assert {c: w.id for c, w in CURRENT.items()} == {
        EMAIL: "marketing-email",
        SMS: "marketing-sms",
    }


# --- on the guest's record ---------------------------------------------------------


def guest(*records: ConsentRecord) -> Customer:
    return Customer(id="c1", name="Ava Wood", phone="+447700900123", consent=records)


def test_a_desk_that_had_not_seen_a_newer_answer_does_not_undo_it_when_saving_the_guest():
    server = guest(asked(SMS, False, LATER, "Jo"))
    stale_desk = guest(asked(SMS, True, START, "Sam"))

    saved = upserted_customer(server, stale_desk)

    assert not may_send_marketing(saved.consent, SMS)
    assert saved.consent == (asked(SMS, False, LATER, "Jo"),)


def test_an_answer_given_with_a_booking_reaches_a_known_guest():
    known = guest()

    after = booked_customer(known, guest(asked(EMAIL, True, START, "Sam")))

    assert may_send_marketing(after.consent, EMAIL)


def test_a_booking_with_no_new_answer_leaves_a_known_guest_as_they_were():
    known = guest(asked(EMAIL, True, START, "Sam"))

    assert booked_customer(known, guest()) is known


def test_merging_keeps_one_record_per_channel():
    a = asked(EMAIL, True, START, "Sam")
    b = asked(EMAIL, False, LATER, "Jo")

    assert merged([a], [b]) == merged([b], [a]) == (b,)
