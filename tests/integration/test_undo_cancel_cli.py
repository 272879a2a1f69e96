"""`backroom booking undo-cancel REF`: the same undo as the window's, refused in one line."""

from __future__ import annotations

from datetime import timedelta

from app.cli import main
from app.domain.booking import BookingStatus
from app.domain.limits import UNDO_CANCEL_MINUTES
from tests.conftest import START, at_start
from tests.integration.conftest import counts
from tests.integration.test_booking_edit_cli import booked


def undo(db_path, capsys, reference, clock=at_start):
    code = main(["--db", str(db_path), "booking", "undo-cancel", reference], clock=clock)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_cancel_made_minutes_ago_is_undone_by_reference(desk, reception, db_path, capsys):
    seven = desk.queries.venue().plan.table_by_number(7).id
    b = booked(desk, reception, tables=(seven,))
    desk.lifecycle.cancel(reception, b.id, "guest cancelled")

    code, out, err = undo(db_path, capsys, b.reference.lower())

    assert (code, err) == (0, "")
    assert out.strip() == "Cancel undone: Ava Wood, party of 2, back at table 7."
    assert desk.queries.booking(b.id).booking.status is BookingStatus.CONFIRMED


def test_too_late_or_nothing_to_undo_is_one_line_and_writes_nothing(
    desk, reception, db_path, capsys
):
    live = booked(desk, reception, hh=19)
    b = booked(desk, reception)
    desk.lifecycle.cancel(reception, b.id)
    before = counts(db_path)
    later = START + timedelta(minutes=UNDO_CANCEL_MINUTES + 1)

    late = undo(db_path, capsys, b.reference, clock=lambda: later)
    nothing = undo(db_path, capsys, live.reference)
    unknown = undo(db_path, capsys, "0000-0000-000")

    assert late[0] == 2 and "cancelled more than 5 minutes ago" in late[2]
    assert nothing[0] == 2 and "no cancel of Ava Wood's booking" in nothing[2]
    assert unknown[0] == 2 and unknown[2].startswith("error: ")
    assert all(len(err.strip().splitlines()) == 1 for _, _, err in (late, nothing, unknown))
    assert counts(db_path) == before
