"""Every guest message, as a guest reads it: the right facts, and an SMS that stays one SMS."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain.errors import InvalidInput
from app.domain.messages.facts import Facts
from app.domain.messages.gsm import not_gsm, septets
from app.domain.messages.templates import Templates, check_wording
from app.domain.messages.wording import DEFAULTS, TemplateName, Wording

T = TemplateName
NAME_20 = "Maximiliana-Josephin"
# Saturday 5 December 2026, 21:00 in Leeds (GMT); 00:30 after it is still Saturday night.
SAT_21 = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
SAT_NIGHT_0030 = datetime(2026, 12, 6, 0, 30, tzinfo=UTC)
PAY_BY = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
LINK = "https://checkout.stripe.com/c/pay/cs_test_a1B2c3D4e5F6g7H8i9J0#fidkdWxOYHwnPyd1blpxYHZx"
SHORT = "https://bkrm.uk/p/7KQ2M9XPRT4"


def facts(venue, **changes) -> Facts:
    base = Facts(
        venue=venue,
        guest_name="Priya Shah",
        reference="7KQ2M9XPRT4",
        start=SAT_21,
        party_size=4,
        previous_start=datetime(2026, 12, 5, 19, 30, tzinfo=UTC),
        deposit_pence=4000,
        refund_pence=4000,
        link=LINK,
        short_link=SHORT,
        deadline=PAY_BY,
    )
    return replace(base, **changes)


@pytest.mark.parametrize("name", list(T))
@pytest.mark.parametrize(
    "guest", [NAME_20, "Wwwwwwwwwwwwwwwwwwww", "Anne-Marie O’Sullivan-Fitzgerald", "Zoë 😀"]
)
def test_every_sms_is_one_gsm_message_for_a_twenty_character_name(venue, name, guest):
    long_venue = replace(venue, name="The Backroom Cocktail Bar & Kitchen, Leeds")
    worst = facts(
        long_venue,
        guest_name=guest,
        party_size=120,
        deposit_pence=999_999,
        start=datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # "Sat 24 Oct night, 01:30 GMT"
        previous_start=datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        deadline=datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )

    sms = Templates().render(name, worst).sms

    assert not_gsm(sms) == []
    assert septets(sms) <= 160, sms


@pytest.mark.parametrize("name", list(T))
def test_every_email_names_the_venue_and_the_booking_reference(venue, name):
    shown = Templates().render(name, facts(venue))

    assert "The Backroom" in shown.subject + shown.text
    if name not in (T.OFFER_MADE, T.OFFER_EXPIRED):
        assert "7KQ2-M9XP-RT4" in shown.text
        assert "7KQ2-M9XP-RT4" in shown.sms
    assert "The Backroom" in shown.sms


def test_a_confirmation_says_the_time_in_leeds_in_summer(venue):
    summer = datetime(2026, 7, 4, 20, 0, tzinfo=UTC)  # 21:00 BST

    shown = Templates().render(T.BOOKING_CONFIRMED, facts(venue, start=summer))

    assert shown.subject == "Confirmed: The Backroom, Saturday 4 July at 21:00"
    assert "Your table for 4 guests at The Backroom on Saturday 4 July at 21:00" in shown.text
    assert shown.sms == (
        "The Backroom: Priya, your table for 4 on Sat 4 Jul, 21:00 is confirmed, "
        "ref 7KQ2-M9XP-RT4. Reply 9 to cancel."
    )


def test_a_booking_after_midnight_is_said_as_saturday_night(venue):
    shown = Templates().render(T.BOOKING_CREATED, facts(venue, start=SAT_NIGHT_0030))

    assert "Saturday night, 00:30 (the early hours of Sunday 6 December)" in shown.text
    assert "Sat 5 Dec night, 00:30" in shown.sms
    assert "Sunday" not in shown.sms and "Sun" not in shown.sms


def test_a_deposit_request_gives_the_amount_the_link_and_the_deadline(venue):
    shown = Templates().render(T.DEPOSIT_REQUESTED, facts(venue))

    assert "a deposit of £40.00" in shown.text
    assert f"Please pay by Friday 4 December at 18:00:\n{LINK}" in shown.text
    assert f'<a href="{LINK}">' in shown.html
    assert shown.sms == (
        "The Backroom: please pay the £40.00 deposit for booking 7KQ2-M9XP-RT4 by "
        f"Fri 4 Dec, 18:00: {SHORT}"
    )


def test_a_link_too_long_for_an_sms_is_left_to_the_email(venue):
    shown = Templates().render(T.DEPOSIT_EXPIRING, facts(venue, short_link=None))

    assert LINK in shown.text
    assert "http" not in shown.sms
    assert shown.sms.endswith("The link closes Fri 4 Dec, 18:00: the link in our email")


def test_a_moved_booking_says_the_new_time_and_the_old(venue):
    shown = Templates().render(T.BOOKING_MOVED, facts(venue))

    assert "has moved to Saturday 5 December at 21:00 (it was Saturday 5 December at 19:30)" in (
        shown.text
    )
    assert "moved to Sat 5 Dec, 21:00 (was Sat 5 Dec, 19:30)" in shown.sms


def test_a_waitlist_offer_says_until_when_the_table_is_held_and_how_to_answer(venue):
    offered = facts(venue, deadline=datetime(2026, 12, 5, 21, 10, tzinfo=UTC))

    shown = Templates().render(T.OFFER_MADE, offered)

    assert shown.sms == (
        "The Backroom: Priya, a table for 4 is free at Sat 5 Dec, 21:00. "
        "Reply 1 by 21:10 to take it or 9 to pass."
    )


def test_a_guests_name_cannot_put_markup_into_the_html_email(venue):
    shown = Templates().render(T.BOOKING_CONFIRMED, facts(venue, guest_name="<b>Bob</b> & co"))

    assert "<b>Bob</b>" not in shown.html
    assert "&lt;b&gt;Bob&lt;/b&gt; &amp; co" in shown.html
    assert "Hello <b>Bob</b> & co," in shown.text


def test_a_name_an_sms_cannot_carry_is_written_in_plain_letters(venue):
    shown = Templates().render(T.REMINDER, facts(venue, guest_name="Zoë O’Brien"))

    assert ", Zoe: table for 4" in shown.sms
    assert "Hello Zoë O’Brien," in shown.text


def test_a_guest_without_an_email_gets_the_same_sms_and_no_email_is_made(venue):
    both = Templates().render(T.BOOKING_CONFIRMED, facts(venue))
    sms_only = Templates().render(T.BOOKING_CONFIRMED, facts(venue), email=False)

    assert sms_only.sms == both.sms
    assert "7KQ2-M9XP-RT4" in sms_only.sms
    assert (sms_only.subject, sms_only.text, sms_only.html) == ("", "", "")
    assert "Saturday 5 December" in both.subject and "7KQ2-M9XP-RT4" in both.html


def test_a_venue_can_use_its_own_words(venue):
    own = Wording("Table booked!", "Cheers {guest}, see you {when}.", "{venue_sms}: ta, {ref}")

    shown = Templates({T.BOOKING_CREATED: own}).render(T.BOOKING_CREATED, facts(venue))

    assert shown.subject == "Table booked!"
    assert shown.text == "Cheers Priya Shah, see you Saturday 5 December at 21:00."
    assert shown.sms == "The Backroom: ta, 7KQ2-M9XP-RT4"


@pytest.mark.parametrize(
    ("sms", "why"),
    [
        ("{venue_sms}: {guest} {when} {was} {deadline}", "can reach"),
        ("{venue_sms}: {first}, see you {when_short} – {ref}", "–"),
        ("{venue_sms}: {first}, see you {when_short} ’{ref}’", "’"),
        ("{venue_sms}: {table}", "unknown {table}"),
        ("{venue_sms}: {ref", "stray brace"),
    ],
)
def test_a_venues_own_sms_that_could_not_be_one_gsm_message_is_refused(venue, sms, why):
    own = Wording("Booked", "Hello {guest}", sms)

    with pytest.raises(InvalidInput, match=why):
        check_wording(T.BOOKING_CREATED, own, venue)


@pytest.mark.parametrize("name", list(T))
def test_the_default_words_pass_the_checks_a_venues_own_words_must_pass(venue, name):
    check_wording(name, DEFAULTS[name], venue)


def test_every_message_sent_today_is_transactional_and_needs_no_marketing_consent(venue):
    marketing = [name for name in TemplateName if name.marketing]
    rendered = [Templates().render(name, facts(venue)).marketing for name in TemplateName]

    assert marketing == []
    assert rendered == [False] * 11


def test_a_venue_s_own_wording_replaces_the_parts_it_gives_and_keeps_the_rest(venue):
    from app.domain.messages.templates import templates_from_dict, templates_to_dict

    own = templates_from_dict(
        {"booking_created": {"sms": "{venue_sms}: {first}, see you {when_short}! Ref {ref}."}},
        venue,
    )
    words = own.wording(TemplateName.BOOKING_CREATED)

    assert words.sms == "{venue_sms}: {first}, see you {when_short}! Ref {ref}."
    assert words.body == DEFAULTS[TemplateName.BOOKING_CREATED].body
    assert own.wording(TemplateName.REMINDER) == DEFAULTS[TemplateName.REMINDER]
    assert templates_to_dict(own)["booking_created"]["sms"] == words.sms


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"birthday_promo": {"sms": "Hi"}}, "There is no message 'birthday_promo'"),
        ({"reminder": {"footer": "x"}}, "gives its subject, body, sms"),
        ({"reminder": {"sms": "Cheers {first} 😀"}}, "cannot carry"),
        ({"reminder": {"sms": "{nickname}, see you"}}, "unknown {nickname}"),
        ({"reminder": {"sms": "x" * 161}}, "one SMS holds 160"),
    ],
)
def test_a_venue_s_wording_that_cannot_be_sent_is_refused_saying_why(venue, data, why):
    from app.domain.messages.templates import templates_from_dict

    with pytest.raises(InvalidInput, match=why):
        templates_from_dict(data, venue)
