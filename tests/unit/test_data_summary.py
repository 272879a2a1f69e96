"""A guest's data in words they can read (app.domain.data_summary): written from the
answer's own rows, the server's table names or a desk's, in the venue's time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.data_summary import DESCRIBED, SHOWN, page_for, readable
from app.models.guest_data import SECTIONS as DESK_SECTIONS
from server.guests.data import SECTIONS as SERVER_SECTIONS

LONDON = ZoneInfo("Europe/London")
ADA = "11111111-1111-4111-8111-111111111111"
GRACE = "22222222-2222-4222-8222-222222222222"
SERVER_TABLES = {
    "customers": [
        {"id": ADA, "name": "Ada Lovelace", "phone": "+447911123456", "email": "ada@example.org",
         "vip": True, "tags": ["regular"], "notes": "Likes the corner booth"},
    ],
    "customer_consents": [
        {"customer_id": ADA, "channel": "email", "given": True, "at": "2026-07-03T18:30:00+00:00",
         "wording_id": "marketing-email", "wording_version": 2},
        {"customer_id": GRACE, "channel": "sms", "given": True, "at": "2026-07-03T18:31:00+00:00",
         "wording_id": "marketing-sms", "wording_version": 2},
    ],
    "bookings": [
        {"reference": "ABCDEFGHJK0", "start": "2026-12-31T23:30:00+00:00", "party_size": 8,
         "status": "no_show", "special_requests": "Nut allergy", "occasion": "", "notes": "",
         "deposit_pence": 4000, "deposit_state": "paid"},
        {"reference": "MNPQRSTVWX1", "start": "2026-07-03T19:00:00+00:00", "party_size": 4,
         "status": "completed", "special_requests": "", "occasion": "Her 30th", "notes": "",
         "spend_pence": 18450, "package_id": "prosecco", "package_pence": 10000},
    ],
    "message_outbox": [
        {"created_at": "2026-07-02T09:00:00+00:00", "channel": "sms", "template":
         "booking_confirmed", "recipient": "+447911123456", "status": "delivered",
         "body": "See you Fri 3 Jul at 20:00"},
    ],
    "message_inbound": [
        {"received_at": "2026-07-03T18:50:00+00:00", "from_number": "+447911123456",
         "body": "Running ten minutes late"},
    ],
    "deposit_ledger": [
        {"recorded_at": "2026-12-30T12:00:00+00:00", "kind": "payment_in_person",
         "amount_pence": 4000, "method": "cash"},
    ],
    "audit_events": [{"id": "e1"}, {"id": "e2"}],
    "holds": [],
}  # fmt: skip
MADE = datetime(2026, 7, 10, 11, 0, tzinfo=UTC)


def page(tables=SERVER_TABLES):
    return readable(tables, venue="The Backroom", made_at=MADE, made_by="Jo Patel",
                    found_by="phone", zone=LONDON)  # fmt: skip


def test_the_page_says_who_the_guest_is_and_how_they_answered_about_marketing():
    text = page()

    assert text.startswith("What The Backroom holds about you\n")
    assert "Answered on Fri 10 Jul 2026, 12:00 by Jo Patel" in text  # BST
    assert "  Name: Ada Lovelace\n  Phone: +447911123456\n  Email: ada@example.org\n" in text
    assert "Marked as a VIP guest" in text and "Tags staff gave you: regular" in text
    assert "Notes staff keep about you: Likes the corner booth" in text
    assert (
        'Marketing by email: yes, Fri 03 Jul 2026, 19:30 ("May we send you our news and '
        'offers by email?")'
    ) in text
    assert "Marketing by sms" not in text  # Grace's answer, not Ada's


def test_bookings_read_in_order_in_london_time_with_the_guests_own_words():
    text = page()

    summer = text.index("Fri 03 Jul 2026, 20:00, a party of 4, completed (reference MNPQ-RSTV-WX1)")
    new_year = text.index("Thu 31 Dec 2026, 23:30, a party of 8, no show (reference ABCD-EFGH-JK0)")
    assert summer < new_year
    assert "    Occasion: Her 30th" in text and "    Special requests: Nut allergy" in text
    assert "    Deposit: £40.00 (paid)" in text
    assert "    Spent at the table: £184.50" in text
    assert "    Package: prosecco (£100.00)" in text


def test_messages_both_ways_and_the_money_are_listed_with_their_words():
    text = page()

    assert "Thu 02 Jul 2026, 10:00, SMS to +447911123456: booking confirmed (delivered)" in text
    assert "    See you Fri 3 Jul at 20:00" in text
    assert "Fri 03 Jul 2026, 19:50, from +447911123456: Running ten minutes late" in text
    assert "Wed 30 Dec 2026, 12:00: payment in person, £40.00 by cash" in text
    assert "every change made to your details or bookings: 2" in text
    assert "tables held for you" not in text  # an empty table is not listed


def test_a_desks_answer_with_its_own_table_names_reads_the_same():
    desk = {
        "customer": [{**SERVER_TABLES["customers"][0], "consent": '[{"channel": "email", '
                      '"given": true, "at": "2026-07-03T18:30:00+00:00", '
                      '"wording_id": "marketing-email", "wording_version": 2}]'}],
        "booking": SERVER_TABLES["bookings"],
        "guest_messages": SERVER_TABLES["message_outbox"],
        "guest_replies": [{"received_at": "2026-07-03T18:50:00+00:00",
                           "sender": "+447911123456", "body": "Running ten minutes late"}],
        "deposit_ledger": SERVER_TABLES["deposit_ledger"],
        "audit_event": SERVER_TABLES["audit_events"],
    }  # fmt: skip

    assert page(desk) == page()


def test_every_table_either_side_can_hold_is_shown_or_described_to_the_guest():
    for table in {*SERVER_SECTIONS, *DESK_SECTIONS}:
        assert table in SHOWN or table in DESCRIBED, table


def test_the_page_goes_beside_its_json_and_never_over_it():
    assert page_for(Path("out/ada.json")) == Path("out/ada.txt")
    assert page_for(Path("ada")) == Path("ada.txt")
    assert page_for(Path("ada.txt")) == Path("ada.page.txt")
