"""What a guest's SMS reply does: samples and the actions written out by hand."""

from datetime import UTC, date, datetime

import pytest

from app.domain.messages.replies import Action, Asked, Awaiting, parse_reply

SAT, FRI = date(2026, 12, 5), date(2026, 12, 4)
ASKED = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)

BOOKING = [Awaiting("b1", Asked.BOOKING, SAT, ASKED)]
OFFER = [Awaiting("w1", Asked.OFFER, SAT, ASKED)]
TWO_THAT_NIGHT = [
    Awaiting("b1", Asked.BOOKING, SAT, ASKED),
    Awaiting("b2", Asked.BOOKING, SAT, LATER),
]
# The offer on Friday was asked last; Saturday's booking is another night.
TWO_NIGHTS = [
    Awaiting("b1", Asked.BOOKING, SAT, ASKED),
    Awaiting("w1", Asked.OFFER, FRI, LATER),
]
NOTHING: list[Awaiting] = []

C, X, A, D = Action.CONFIRM, Action.CANCEL, Action.ACCEPT_OFFER, Action.DECLINE_OFFER
OUT, IN, STAFF = Action.OPT_OUT, Action.OPT_IN, Action.STAFF

SAMPLES = [
    # the digits, as guests type them
    ("1", BOOKING, C, "b1"),
    (" 1 ", BOOKING, C, "b1"),
    ("1.", BOOKING, C, "b1"),
    ("1!", BOOKING, C, "b1"),
    ("1\n", BOOKING, C, "b1"),
    ("1)", BOOKING, C, "b1"),
    ("1️⃣", BOOKING, C, "b1"),
    ("１", BOOKING, C, "b1"),  # full-width, from a CJK keyboard
    ("9", BOOKING, X, "b1"),
    (" 9.", BOOKING, X, "b1"),
    ("9!!", BOOKING, X, "b1"),
    ("1", OFFER, A, "w1"),
    ("1.", OFFER, A, "w1"),
    ("9", OFFER, D, "w1"),
    ("9 ", OFFER, D, "w1"),
    # the latest question decides the night; another night is no ambiguity
    ("1", TWO_NIGHTS, A, "w1"),
    ("9", TWO_NIGHTS, D, "w1"),
    # two bookings that night: staff decide
    ("1", TWO_THAT_NIGHT, STAFF, "b2"),
    ("9", TWO_THAT_NIGHT, STAFF, "b2"),
    # nothing waiting for an answer
    ("1", NOTHING, STAFF, None),
    ("9", NOTHING, STAFF, None),
    # digits that are not one clear answer
    ("11", BOOKING, STAFF, "b1"),
    ("19", BOOKING, STAFF, "b1"),
    ("1 or 9", BOOKING, STAFF, "b1"),
    ("2", BOOKING, STAFF, "b1"),
    ("0", BOOKING, STAFF, "b1"),
    ("1 thanks", BOOKING, STAFF, "b1"),
    ("9 sorry, can't make it", BOOKING, STAFF, "b1"),
    ("1 👍", BOOKING, STAFF, "b1"),
    ("Reply 1", BOOKING, STAFF, "b1"),
    ("٩", BOOKING, STAFF, "b1"),  # Arabic-Indic nine: not our 9
    # words are never yes or no
    ("yes", BOOKING, STAFF, "b1"),
    ("Yes please", BOOKING, STAFF, "b1"),
    ("Y", BOOKING, STAFF, "b1"),
    ("no", BOOKING, STAFF, "b1"),
    ("one", BOOKING, STAFF, "b1"),
    ("ok", OFFER, STAFF, "w1"),
    ("👍", BOOKING, STAFF, "b1"),
    ("🙂🙂", OFFER, STAFF, "w1"),
    ("", BOOKING, STAFF, "b1"),
    ("   ", BOOKING, STAFF, "b1"),
    ("Can we make it 6 people?", BOOKING, STAFF, "b1"),
    ("Running 10 mins late", BOOKING, STAFF, "b1"),
    ("Please stop", BOOKING, STAFF, "b1"),
    ("stopped by last week, great night", BOOKING, STAFF, "b1"),
    ("Cancel my booking please", BOOKING, STAFF, "b1"),
    ("end of the night?", BOOKING, STAFF, "b1"),
    # opt-out keywords, single words in any case: the carrier blocks them too
    ("STOP", BOOKING, OUT, None),
    ("stop", BOOKING, OUT, None),
    ("Stop.", BOOKING, OUT, None),
    ("Stop!", NOTHING, OUT, None),
    (" sToP ", OFFER, OUT, None),
    ("STOPALL", BOOKING, OUT, None),
    ("Unsubscribe", BOOKING, OUT, None),
    ("UNSUBSCRIBE", NOTHING, OUT, None),
    ("cancel", BOOKING, OUT, None),
    ("END", BOOKING, OUT, None),
    ("quit", BOOKING, OUT, None),
    ("revoke", BOOKING, OUT, None),
    ("optout", BOOKING, OUT, None),
    ("Opt-out", BOOKING, OUT, None),
    # stop words leading a longer message: in doubt, stop
    ("Stop please", BOOKING, OUT, None),
    ("STOP texting me", BOOKING, OUT, None),
    ("stop all", BOOKING, OUT, None),
    ("Unsubscribe me now", BOOKING, OUT, None),
    # opting back in
    ("START", NOTHING, IN, None),
    ("unstop", BOOKING, IN, None),
    ("Start again please", BOOKING, STAFF, "b1"),
]


def test_there_are_at_least_fifty_samples():
    assert len(SAMPLES) >= 50


@pytest.mark.parametrize(("text", "awaiting", "action", "booking"), SAMPLES)
def test_a_reply_does_what_the_guest_asked_or_goes_to_staff(text, awaiting, action, booking):
    reply = parse_reply(text, awaiting)

    assert (reply.action, reply.booking_id) == (action, booking)


def test_a_reply_shown_to_staff_says_why():
    assert parse_reply("1", TWO_THAT_NIGHT).why == "two bookings that night: which is meant?"
    assert parse_reply("yes", BOOKING).why == "not a 1 or a 9"
    assert "no booking" in parse_reply("1", NOTHING).why
