"""The October night: 01:30 happens twice, and both belong to Saturday's service."""

import json
from datetime import UTC, date, datetime, time

from app.cli import main
from app.services.booking_create import NewBooking

SATURDAY = date(2026, 10, 24)


def test_a_booking_on_the_repeated_hour_is_stored_shown_and_counted_correctly(
    desk, reception, clock, db_path, capsys
):
    clock.now = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    venue = desk.queries.venue().venue
    first = venue.wall_time_on(SATURDAY, time(1, 30), fold=0)
    second = venue.wall_time_on(SATURDAY, time(1, 30), fold=1)
    for start, phone in ((first, "0113 496 0701"), (second, "0113 496 0702")):
        desk.create.create_booking(
            reception,
            NewBooking(
                name="Late Crowd", phone=phone, party_size=2, start=start, duration_minutes=60
            ),
        )

    night = desk.queries.bookings_on(SATURDAY)
    main(["--db", str(db_path), "bookings", "list", "--date", "2026-10-24", "--json"])
    listed = json.loads(capsys.readouterr().out)

    assert [v.booking.start for v in night] == [
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    ]
    assert [b["local_time"] for b in listed] == ["01:30 BST", "01:30 GMT"]
    assert desk.queries.bookings_on(date(2026, 10, 25)) == []
